package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.testsupport.FakeCredentials;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingConcurrencyTest {
    private static final int THREADS = 8;

    @Test
    void inFlightCountsReturnToZeroAfterManyConcurrentLeases() throws Exception {
        List<Credential> pool = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pool.add(FakeCredentials.chatgpt("acct" + i + "@example.com", i % 2 == 0 ? PlanType.PLUS : PlanType.PRO));
        }
        pool.add(FakeCredentials.key("k1", ApiKeyType.OPENAI));
        RouterFixture f = new RouterFixture(pool.toArray(Credential[]::new));
        int rounds = 3_000;

        runConcurrently(THREADS, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<Lease> open = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                RouteQuery query = RouterFixture.conversation(Api.RESPONSES, "s" + random.nextInt(50));
                RoutingPlan plan = f.router.plan(query);
                if (plan.candidates().isEmpty()) {
                    continue;
                }
                CredentialId id = plan.candidates().get(0).credential().id();
                Lease lease = f.router.begin(id);
                switch (random.nextInt(4)) {
                    case 0 -> f.router.onSuccess(id, query, Optional.of("resp_" + i));
                    case 1 -> f.router.onFailure(id, new AttemptFailure.ServerError(502));
                    default -> { }
                }
                open.add(lease);
                if (open.size() > 3) {
                    Lease done = open.remove(random.nextInt(open.size()));
                    done.close();
                    if (random.nextBoolean()) {
                        done.close(); // a second close must change nothing
                    }
                }
            }
            open.forEach(Lease::close);
        });

        assertThat(f.router.statuses()).hasSize(7).allSatisfy(s -> assertThat(s.inFlight()).isZero());
    }

    @Test
    void aLeaseClosedByManyThreadsAtOnceReleasesExactlyOneSlot() throws Exception {
        Credential acct = FakeCredentials.chatgpt("a@example.com", PlanType.PLUS);
        RouterFixture f = new RouterFixture(acct);
        for (int round = 0; round < 200; round++) {
            Lease keep = f.router.begin(acct.id());
            Lease racy = f.router.begin(acct.id());
            runConcurrently(THREADS, racy::close);
            assertThat(f.router.statuses().get(0).inFlight()).isEqualTo(1);
            keep.close();
            assertThat(f.router.statuses().get(0).inFlight()).isZero();
        }
    }

    @Test
    void spreadsConcurrentLeasesOverEqualAccounts() throws Exception {
        List<Credential> pool = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pool.add(FakeCredentials.chatgpt("eq" + i + "@example.com", PlanType.PLUS));
        }
        RouterFixture f = new RouterFixture(pool.toArray(Credential[]::new));
        List<Lease> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(f.router.begin(f.plan(Api.RESPONSES).candidates().get(0).credential().id()));
        }
        assertThat(f.router.statuses()).allSatisfy(s -> assertThat(s.inFlight()).isEqualTo(2));
        held.forEach(Lease::close);
    }

    private static void runConcurrently(int threads, ThrowingRunnable task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    task.run();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
