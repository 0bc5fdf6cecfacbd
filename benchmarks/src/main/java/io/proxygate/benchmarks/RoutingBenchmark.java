package io.proxygate.benchmarks;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.CredentialStatePort;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.application.routing.AttemptFailure;
import io.proxygate.application.routing.RouteQuery;
import io.proxygate.application.routing.RoutingPlan;
import io.proxygate.application.routing.RoutingService;
import io.proxygate.application.routing.RoutingSettings;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One {@code plan()} for a Responses request over pools of 10, 100, 1,000 and 10,000 credentials (80 % ChatGPT accounts
 * with varied plans and usage, 20 % OpenAI keys, 5 % cooling down) with 10,000 live conversation pins.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar RoutingBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark extends StandardRun {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final int PINS = 10_000;

    @Param({"10", "100", "1000", "10000"})
    public int credentials;

    private RoutingService router;
    private RouteQuery unpinned;
    private RouteQuery[] pinned;
    private RouteQuery[] unknownConversations;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        List<Credential> pool = new ArrayList<>();
        PlanType[] plans = {PlanType.PRO, PlanType.PLUS, PlanType.PLUS, PlanType.TEAM, PlanType.ENTERPRISE};
        for (int i = 0; i < credentials; i++) {
            if (i % 5 == 4) {
                pool.add(new ApiKey("key-" + i, null, ApiKeyType.OPENAI, Secret.of("sk-test-bench-" + i),
                        Optional.empty(), false));
            } else {
                pool.add(new ChatGptAccount("acct" + i + "@example.com", "acct-" + i, plans[i % plans.length],
                        new OAuthTokens(Secret.of("fake-access-token-" + i), Optional.empty(), Optional.empty(),
                                Optional.empty()), Optional.empty(), false));
            }
        }
        CredentialPool credentialPool = new CredentialPool(new FixedDirectory(pool));
        credentialPool.reload();
        router = new RoutingService(credentialPool, new NoState(), RoutingSettings.DEFAULTS, InstantSource.fixed(NOW));

        pinned = new RouteQuery[1024];
        unknownConversations = new RouteQuery[1024];
        for (int i = 0; i < PINS; i++) {
            CredentialId id = pool.get(random.nextInt(pool.size())).id();
            RouteQuery q = conversation("s" + i);
            router.onSuccess(id, q, Optional.of("resp_" + i));
            if (i < pinned.length) {
                pinned[i] = q;
            }
        }
        // Usage observed after the pins were made, as response headers refresh it on every request.
        for (int i = 0; i < pool.size(); i++) {
            CredentialId id = pool.get(i).id();
            if (pool.get(i) instanceof ChatGptAccount) {
                router.onWindows(id, new UsageWindows(
                        Optional.of(new UsageWindow(random.nextDouble(0, 0.95),
                                Optional.of(NOW.plusSeconds(random.nextLong(60, 5 * 3600))), UsageWindow.FIVE_HOURS)),
                        Optional.of(new UsageWindow(random.nextDouble(0, 0.95),
                                Optional.of(NOW.plusSeconds(random.nextLong(3600, 7 * 86400))), UsageWindow.WEEK)),
                        false, NOW));
            }
            if (i % 20 == 7) {
                router.onFailure(id, new AttemptFailure.RateLimited(Duration.ofMinutes(10)));
            }
        }
        for (int i = 0; i < unknownConversations.length; i++) {
            unknownConversations[i] = conversation("new-" + i);
        }
        unpinned = new RouteQuery(Api.RESPONSES, "gpt-5", Optional.empty(), Optional.empty());
    }

    private static RouteQuery conversation(String session) {
        return new RouteQuery(Api.RESPONSES, "gpt-5", Optional.of(ConversationKey.session(session)), Optional.empty());
    }

    /** A request without a conversation key. */
    @Benchmark
    public RoutingPlan planWithoutConversation() {
        return router.plan(unpinned);
    }

    /** A request whose conversation is pinned (a live pin among 10,000). */
    @Benchmark
    public RoutingPlan planPinnedConversation() {
        return router.plan(pinned[next++ & (pinned.length - 1)]);
    }

    /** A request with a conversation key that has no pin yet. */
    @Benchmark
    public RoutingPlan planNewConversation() {
        return router.plan(unknownConversations[next++ & (unknownConversations.length - 1)]);
    }

    /** The pool, fixed in memory. */
    private static final class FixedDirectory implements PoolDirectoryPort {
        private final List<PoolFile> files = new ArrayList<>();

        FixedDirectory(List<Credential> credentials) {
            for (Credential c : credentials) {
                files.add(PoolFile.loaded("pool/" + c.id().value() + ".json", c));
            }
        }

        @Override
        public List<PoolFile> scan() {
            return files;
        }

        @Override
        public AutoCloseable watch(Runnable onChange) {
            return () -> {
            };
        }

        @Override
        public void update(String path, Credential updated) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String add(Credential credential) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void delete(String path) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class NoState implements CredentialStatePort {
        @Override
        public Map<CredentialId, CredentialStateRecord> loadAll() {
            return Map.of();
        }

        @Override
        public void save(CredentialStateRecord state) {
        }
    }
}
