package io.proxygate.adapter.out.upstream.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.RefreshHistory;
import io.proxygate.application.auth.TokenRefreshService;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** Token refresh against the mock provider over real HTTP, persisted through a file-backed pool directory. */
class TokenRefreshFlowTest extends MockProviderTest {
    private static final String EMAIL = MockOAuthServer.CHATGPT_EMAIL;

    private TokenRefreshService refresher;

    @BeforeEach
    void startRefresher() {
        refresher = new TokenRefreshService(pool, client, Duration.ofMinutes(5), clock);
    }

    /** Writes a ChatGPT account file (with a field this version does not know) and loads the pool. */
    private ChatGptAccount seedChatGpt(String refreshToken, Instant expiresAt) throws IOException {
        ChatGptAccount account = new ChatGptAccount(EMAIL, MockOAuthServer.CHATGPT_ACCOUNT, PlanType.PLUS,
                new OAuthTokens(Secret.of("fake-access-token-old"), Optional.of(Secret.of(refreshToken)),
                        Optional.of(Secret.of("fake-id-token-old")), Optional.of(expiresAt)),
                Optional.of(T0.minus(Duration.ofDays(3))), false);
        Path file = Path.of(directory.add(account));
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"future_field\": {\"x\": 1},"));
        pool.reload();
        return (ChatGptAccount) pool.snapshot().credentials().getFirst();
    }

    private JsonNode chatGptFile() {
        return directory.read(directory.chatgptFile(EMAIL));
    }

    @Test
    void tokenExpiringWithinTheSkewIsRefreshedAndWrittenToItsFile() throws Exception {
        String oldRefresh = mock.liveChatGptRefreshToken();
        ChatGptAccount account = seedChatGpt(oldRefresh, T0.plus(Duration.ofMinutes(4)));

        ChatGptAccount fresh = (ChatGptAccount) refresher.ensureFresh(account);

        assertThat(mock.refreshCalls).hasValue(1);
        assertThat(fresh.tokens().accessToken()).isNotEqualTo(account.tokens().accessToken());
        assertThat(fresh.tokens().expiresAt()).contains(T0.plusSeconds(3600));
        assertThat(fresh.plan()).as("the new token's plan claim").isEqualTo(PlanType.PRO);
        JsonNode file = chatGptFile();
        assertThat(file.path("access_token").asText()).isEqualTo(fresh.tokens().accessToken().reveal());
        assertThat(file.path("refresh_token").asText()).isNotEqualTo(oldRefresh)
                .isEqualTo(fresh.tokens().refreshToken().orElseThrow().reveal());
        assertThat(mock.isLiveChatGptRefreshToken(oldRefresh)).as("rotated away").isFalse();
        assertThat(file.path("expires_at").asText()).isEqualTo(T0.plusSeconds(3600).toString());
        assertThat(file.path("created_at").asText()).isEqualTo(T0.minus(Duration.ofDays(3)).toString());
        assertThat(file.path("future_field").path("x").asInt()).isEqualTo(1);
        assertOwnerOnly(directory.chatgptFile(EMAIL));
        assertThat(pool.snapshot().credentials()).containsExactly(fresh);
    }

    @Test
    void tokenFarFromExpiryIsUsedAsItIs() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.plus(Duration.ofMinutes(6)));

        assertThat(refresher.ensureFresh(account)).isEqualTo(account);
        assertThat(mock.refreshCalls).hasValue(0);
    }

    @Test
    void twentyCallersRejectedWithTheSameTokenShareOneRefresh() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.plus(Duration.ofHours(1)));
        List<Credential> results = concurrently(20, () -> refresher.refreshAfterUnauthorized(account));

        assertThat(mock.refreshCalls).hasValue(1);
        String newToken = chatGptFile().path("access_token").asText();
        assertThat(newToken).isNotEqualTo(account.tokens().accessToken().reveal());
        assertThat(results).hasSize(20).allSatisfy(c ->
                assertThat(((ChatGptAccount) c).tokens().accessToken().reveal()).isEqualTo(newToken));
    }

    @Test
    void twentyCallersOfAnExpiringTokenShareOneRefresh() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.plusSeconds(30));
        List<Credential> results = concurrently(20, () -> refresher.ensureFresh(account));

        assertThat(mock.refreshCalls).hasValue(1);
        assertThat(results).extracting(c -> ((ChatGptAccount) c).tokens().accessToken()).containsOnly(
                Secret.of(chatGptFile().path("access_token").asText()));
    }

    @Test
    void callerWhoseRejectedTokenWasAlreadyReplacedGetsTheCurrentCredential() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.plus(Duration.ofHours(1)));
        Credential first = refresher.refreshAfterUnauthorized(account);

        Credential late = refresher.refreshAfterUnauthorized(account);

        assertThat(late).isEqualTo(first);
        assertThat(mock.refreshCalls).hasValue(1);
    }

    @Test
    void invalidGrantIsPermanentAndIsNotRetried() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.plusSeconds(60));
        mock.refreshFailureStatus = 400;
        mock.refreshFailureBody = "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh token expired\"}";
        String before = Files.readString(directory.chatgptFile(EMAIL));

        CredentialUnavailable first = catchThrowableOfType(CredentialUnavailable.class,
                () -> refresher.ensureFresh(account));
        CredentialUnavailable second = catchThrowableOfType(CredentialUnavailable.class,
                () -> refresher.refreshAfterUnauthorized(account));

        assertThat(first.permanent()).isTrue();
        assertThat(first).hasMessage(EMAIL + ": token refresh failed: ChatGPT token endpoint answered HTTP 400 "
                + "invalid_grant: Refresh token expired");
        assertThat(second.permanent()).isTrue();
        assertThat(mock.refreshCalls).as("a dead grant is not tried again").hasValue(1);
        assertThat(Files.readString(directory.chatgptFile(EMAIL))).isEqualTo(before);
    }

    @Test
    void reusedRefreshTokenIsPermanent() throws Exception {
        ChatGptAccount account = seedChatGpt("rt_fake_never_issued", T0.plus(Duration.ofHours(1)));

        CredentialUnavailable failure = catchThrowableOfType(CredentialUnavailable.class,
                () -> refresher.refreshAfterUnauthorized(account));

        assertThat(failure.permanent()).isTrue();
        assertThat(failure.getMessage()).contains("HTTP 401 refresh_token_reused");
    }

    @Test
    void refreshReplyWithoutRefreshTokenKeepsTheOldOne() throws Exception {
        String oldRefresh = mock.liveChatGptRefreshToken();
        ChatGptAccount account = seedChatGpt(oldRefresh, T0.plusSeconds(60));
        mock.rotateRefreshTokens = false;

        ChatGptAccount fresh = (ChatGptAccount) refresher.ensureFresh(account);

        assertThat(fresh.tokens().accessToken()).isNotEqualTo(account.tokens().accessToken());
        assertThat(fresh.tokens().refreshToken()).contains(Secret.of(oldRefresh));
        assertThat(fresh.tokens().idToken()).contains(Secret.of("fake-id-token-old"));
        JsonNode file = chatGptFile();
        assertThat(file.path("refresh_token").asText()).isEqualTo(oldRefresh);
        assertThat(file.path("id_token").asText()).isEqualTo("fake-id-token-old");
        assertThat(file.path("access_token").asText()).isEqualTo(fresh.tokens().accessToken().reveal());
        assertOwnerOnly(directory.chatgptFile(EMAIL));
    }

    @Test
    void transientFailureBacksOffBeforeTheNextTry() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.minusSeconds(1));
        mock.refreshFailureStatus = 503;
        mock.refreshFailureBody = "upstream connect error";

        CredentialUnavailable first = catchThrowableOfType(CredentialUnavailable.class,
                () -> refresher.ensureFresh(account));
        CredentialUnavailable during = catchThrowableOfType(CredentialUnavailable.class,
                () -> refresher.ensureFresh(account));

        assertThat(first.permanent()).isFalse();
        assertThat(first.getMessage()).contains("HTTP 503");
        assertThat(during.permanent()).isFalse();
        assertThat(mock.refreshCalls).as("no call during the backoff").hasValue(1);

        mock.refreshFailureStatus = 0;
        clock.advance(TokenRefreshService.DEFAULT_RETRY_BACKOFF.plusSeconds(1));
        Credential fresh = refresher.ensureFresh(account);

        assertThat(mock.refreshCalls).hasValue(2);
        assertThat(((ChatGptAccount) fresh).tokens().expiresAt()).contains(clock.instant().plusSeconds(3600));
    }

    @Test
    void refreshHistoryCountsFailuresInARowAndKeepsTheLastErrorAfterASuccess() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.minusSeconds(1));
        assertThat(refresher.refreshHistory(account.id())).isEmpty();
        mock.refreshFailureStatus = 503;
        mock.refreshFailureBody = "upstream connect error";

        catchThrowableOfType(CredentialUnavailable.class, () -> refresher.ensureFresh(account));
        Instant failedAt = clock.instant();
        clock.advance(TokenRefreshService.DEFAULT_RETRY_BACKOFF.plusSeconds(1));
        catchThrowableOfType(CredentialUnavailable.class, () -> refresher.ensureFresh(account));

        RefreshHistory failing = refresher.refreshHistory(account.id()).orElseThrow();
        assertThat(failing.failures()).isEqualTo(2);
        assertThat(failing.lastRefreshAt()).isEmpty();
        assertThat(failing.lastErrorAt()).contains(clock.instant()).isNotEqualTo(java.util.Optional.of(failedAt));
        assertThat(failing.lastError()).hasValueSatisfying(e -> assertThat(e).contains("HTTP 503"));

        mock.refreshFailureStatus = 0;
        refresher.refreshNow(account);
        RefreshHistory healed = refresher.refreshHistory(account.id()).orElseThrow();
        assertThat(healed.failures()).isZero();
        assertThat(healed.lastRefreshAt()).contains(clock.instant());
        assertThat(healed.lastError()).isEqualTo(failing.lastError());
    }

    @Test
    void transientFailureWhileTheTokenIsStillValidServesTheCurrentToken() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.plus(Duration.ofMinutes(2)));
        mock.refreshFailureStatus = 502;

        assertThat(refresher.ensureFresh(account)).isEqualTo(account);
        assertThat(mock.refreshCalls).hasValue(1);
    }

    @Test
    void claudeRefreshKeepsTheProfileFields() throws Exception {
        String oldRefresh = mock.liveClaudeRefreshToken();
        ClaudeAccount account = new ClaudeAccount(MockOAuthServer.CLAUDE_EMAIL, "uuid-x", "claude_max", "tier-x",
                new OAuthTokens(Secret.of("sk-ant-oat01-fake-old"), Optional.of(Secret.of(oldRefresh)),
                        Optional.empty(), Optional.of(T0.plusSeconds(10))), Optional.of(T0), false);
        directory.add(account);
        pool.reload();

        ClaudeAccount fresh = (ClaudeAccount) refresher.ensureFresh(account);

        assertThat(fresh.tokens().accessToken().reveal()).startsWith("sk-ant-oat01-fake-access-");
        assertThat(fresh.tokens().expiresAt()).contains(T0.plusSeconds(28800));
        JsonNode file = directory.read(directory.claudeFile(MockOAuthServer.CLAUDE_EMAIL));
        assertThat(file.path("access_token").asText()).isEqualTo(fresh.tokens().accessToken().reveal());
        assertThat(file.path("refresh_token").asText()).startsWith("sk-ant-ort01-fake-refresh-");
        assertThat(file.path("subscription_type").asText()).isEqualTo("claude_max");
        assertThat(file.path("rate_limit_tier").asText()).isEqualTo("tier-x");
        assertOwnerOnly(directory.claudeFile(MockOAuthServer.CLAUDE_EMAIL));
    }

    @Test
    void refreshNowRefreshesAFreshToken() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.plus(Duration.ofDays(1)));

        Credential fresh = refresher.refreshNow(account);

        assertThat(mock.refreshCalls).hasValue(1);
        assertThat(((ChatGptAccount) fresh).tokens().accessToken().reveal())
                .isEqualTo(chatGptFile().path("access_token").asText());
    }

    @Test
    void refreshNowTriesAgainAfterAPermanentFailure() throws Exception {
        ChatGptAccount account = seedChatGpt(mock.liveChatGptRefreshToken(), T0.plusSeconds(60));
        mock.refreshFailureStatus = 400;
        mock.refreshFailureBody = "{\"error\":\"invalid_grant\"}";
        assertThat(catchThrowableOfType(CredentialUnavailable.class, () -> refresher.ensureFresh(account))
                .permanent()).isTrue();

        mock.refreshFailureStatus = 0;
        Credential fresh = refresher.refreshNow(account);

        assertThat(mock.refreshCalls).hasValue(2);
        assertThat(((ChatGptAccount) fresh).tokens().accessToken()).isNotEqualTo(account.tokens().accessToken());
    }

    @Test
    void apiKeysPassThroughAndCannotBeRefreshed() throws Exception {
        ApiKey key = new ApiKey("k1", "k1", ApiKeyType.OPENAI, Secret.of("sk-test-fake"), Optional.empty(), false);

        assertThat(refresher.ensureFresh(key)).isSameAs(key);
        assertThat(catchThrowableOfType(CredentialUnavailable.class, () -> refresher.refreshAfterUnauthorized(key))
                .permanent()).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Runs {@code n} callers at once while the mock holds the refresh reply, and releases it only when every caller
     * is parked (the refreshing one on the HTTP call, the others on the shared flight).
     */
    private List<Credential> concurrently(int n, Callable<Credential> call) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        mock.refreshGate = gate;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService executor = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r);
            threads.add(t);
            return t;
        });
        try {
            List<Future<Credential>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(executor.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> mock.refreshCalls.get() >= 1
                    && threads.size() == n
                    && List.copyOf(threads).stream().allMatch(t -> t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING)
                    && !threadsStillStarting(List.copyOf(threads)));
            gate.countDown();
            List<Credential> results = new ArrayList<>();
            for (Future<Credential> f : futures) {
                results.add(f.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }

    /** A thread still parked on the start latch has not called yet. */
    private static boolean threadsStillStarting(List<Thread> threads) {
        return threads.stream().anyMatch(t -> {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getMethodName().equals("await") && frame.getClassName().equals(CountDownLatch.class.getName())) {
                    return true;
                }
            }
            return false;
        });
    }

    private static void assertOwnerOnly(Path file) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
