package io.proxygate.application.usage;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.application.routing.AttemptFailure;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.routing.Lease;
import io.proxygate.application.routing.RouteQuery;
import io.proxygate.application.routing.RoutingPlan;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;
import io.proxygate.domain.routing.UsageWindows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Test doubles for the usage poller: an in-memory pool directory, a recording router, a renewing token keeper. */
final class PollFixtures {
    private PollFixtures() {
    }

    static OAuthTokens tokens(String access) {
        return new OAuthTokens(Secret.of(access), Optional.of(Secret.of("fake-refresh-token")), Optional.empty(),
                Optional.empty());
    }

    static ChatGptAccount chatgpt(String email, String access) {
        return new ChatGptAccount(email, "acct-" + email, PlanType.PLUS, tokens(access), Optional.empty(), false);
    }

    static ClaudeAccount claude(String email, String access) {
        return new ClaudeAccount(email, "", "max", "", tokens(access), Optional.empty(), false);
    }

    static ApiKey openAiKey(String id) {
        return new ApiKey(id, id, ApiKeyType.OPENAI, Secret.of("sk-test-" + id), Optional.empty(), false);
    }

    static String accessToken(Credential c) {
        return switch (c) {
            case ChatGptAccount a -> a.tokens().accessToken().reveal();
            case ClaudeAccount a -> a.tokens().accessToken().reveal();
            case ApiKey k -> k.key().reveal();
        };
    }

    static final class MemoryPoolDirectory implements PoolDirectoryPort {
        final List<PoolFile> files = new CopyOnWriteArrayList<>();

        @Override
        public List<PoolFile> scan() {
            return new ArrayList<>(files);
        }

        @Override
        public AutoCloseable watch(Runnable onChange) {
            return () -> { };
        }

        @Override
        public void update(String path, Credential updated) {
            files.replaceAll(f -> f.path().equals(path) ? PoolFile.loaded(path, updated) : f);
        }

        @Override
        public String add(Credential credential) {
            String path = "mem/" + credential.id().value() + ".json";
            files.add(PoolFile.loaded(path, credential));
            return path;
        }

        @Override
        public void delete(String path) {
            files.removeIf(f -> f.path().equals(path));
        }
    }

    /** Records windows and failures; reports the ids in {@link #needsLogin} as needing a login. */
    static final class RecordingRouter implements CredentialRouter {
        final Map<CredentialId, UsageWindows> windows = new ConcurrentHashMap<>();
        final List<Map.Entry<CredentialId, AttemptFailure>> failures = new CopyOnWriteArrayList<>();
        final Set<CredentialId> needsLogin = ConcurrentHashMap.newKeySet();
        volatile Runnable onWindowsHook = () -> { };

        @Override
        public RoutingPlan plan(RouteQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Lease begin(CredentialId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void onSuccess(CredentialId id, RouteQuery query, Optional<String> responseId) {
        }

        @Override
        public void onFailure(CredentialId id, AttemptFailure failure) {
            failures.add(Map.entry(id, failure));
        }

        @Override
        public void onWindows(CredentialId id, UsageWindows w) {
            windows.put(id, w);
            onWindowsHook.run();
        }

        @Override
        public void onTokensRenewed(CredentialId id) {
        }

        @Override
        public Optional<Duration> nearestCooldown(Api api) {
            return Optional.empty();
        }

        @Override
        public List<CredentialStatus> statuses() {
            return needsLogin.stream().map(id -> new CredentialStatus(id, 0, Optional.empty(), Optional.empty(),
                    Optional.of("refresh token revoked"), Optional.empty(), Optional.empty())).toList();
        }
    }

    /** Replaces a token ending in {@code -expired} with one ending in {@code -renewed}, or fails as told. */
    static final class RenewingTokenKeeper implements TokenKeeper {
        final AtomicInteger refreshes = new AtomicInteger();
        volatile UnaryOperator<String> renewTo = token -> token.replace("-expired", "-renewed");
        volatile CredentialUnavailable failure;

        @Override
        public Credential ensureFresh(Credential credential) {
            return credential;
        }

        @Override
        public Credential refreshAfterUnauthorized(Credential rejected) throws CredentialUnavailable {
            refreshes.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return switch (rejected) {
                case ChatGptAccount a -> a.withTokens(tokens(renewTo.apply(accessToken(a))));
                case ClaudeAccount a -> a.withTokens(tokens(renewTo.apply(accessToken(a))));
                case ApiKey k -> k;
            };
        }
    }
}
