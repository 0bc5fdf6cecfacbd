package io.proxygate.application.routing;

import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The routing state written behind: requests only note it, a flush writes the latest, in order, off their path. */
class RoutingStateSaverTest {
    private static final CredentialId ID = CredentialId.chatgpt("alice@x.com");
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final RoutingStateSaver saver = new RoutingStateSaver(store);
    private final CredentialRuntime rt = new CredentialRuntime(ID);

    private void coolDown(long seconds) {
        rt.update(s -> s.withCooldown(ID, NOW.plusSeconds(seconds).toEpochMilli(), "rate limited"));
    }

    @Test
    void untilWriteBehindIsOnEachChangeIsWrittenAtOnce() {
        coolDown(60);
        saver.save(rt, true, NOW);

        assertThat(store.saved.get(ID).cooldownUntil()).contains(NOW.plusSeconds(60));
    }

    @Test
    void behindAChangeWaitsForTheFlushAndOnlyTheLatestIsWritten() {
        saver.writeBehind();
        coolDown(60);
        saver.save(rt, true, NOW);
        coolDown(120);
        saver.save(rt, true, NOW.plusSeconds(1));

        assertThat(store.saves).hasValue(0);
        assertThat(saver.flush()).isEqualTo(1);
        assertThat(store.saves).hasValue(1);
        assertThat(store.saved.get(ID).cooldownUntil()).contains(NOW.plusSeconds(120));
        assertThat(saver.flush()).as("nothing left").isZero();
    }

    @Test
    void aStoreStuckInAWriteHoldsUpNoRequest() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InMemoryStateStore slow = new InMemoryStateStore();
        slow.beforeSave = () -> {
            writing.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        RoutingStateSaver stuck = new RoutingStateSaver(slow);
        stuck.writeBehind();
        coolDown(60);
        stuck.save(rt, true, NOW);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        CompletableFuture<Integer> flushing = CompletableFuture.supplyAsync(stuck::flush, threads);
        assertThat(writing.await(10, TimeUnit.SECONDS)).as("the flush is inside the store's write").isTrue();

        // A request on the same credential notes its change while the store is stuck.
        CompletableFuture<Void> request = CompletableFuture.runAsync(() -> {
            coolDown(120);
            stuck.save(rt, true, NOW.plusSeconds(1));
        }, threads);
        request.get(10, TimeUnit.SECONDS);
        assertThat(flushing).isNotDone();

        release.countDown();
        assertThat(flushing.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(stuck.flush()).as("the request's change, on the next flush").isEqualTo(1);
        threads.shutdown();
    }

    @Test
    void anOperatorsResetIsWrittenBeforeTheStateAfterItAndDropsOlderWaitingState() {
        saver.writeBehind();
        coolDown(600);
        saver.save(rt, true, NOW);
        saver.flush();
        coolDown(900);
        saver.save(rt, true, NOW.plusSeconds(1));
        // The operator clears the cooldown: in memory, then in the store, then the state as it is now.
        rt.update(CredentialRuntime.State::withoutCooldown);
        saver.clearCooldown(ID);
        saver.save(rt, true, NOW.plusSeconds(2));

        saver.flush();

        // The store never shortens a saved cooldown on its own: only the clear, written first, could remove it.
        assertThat(store.saved.get(ID).cooldownUntil()).isEmpty();
    }

    @Test
    void aFailedWriteIsKeptForTheNextFlush() {
        saver.writeBehind();
        coolDown(60);
        saver.save(rt, true, NOW);
        store.failing = true;

        assertThat(saver.flush()).isZero();
        store.failing = false;
        assertThat(saver.flush()).isEqualTo(1);
        assertThat(store.saved.get(ID).cooldownUntil()).contains(NOW.plusSeconds(60));
    }
}
