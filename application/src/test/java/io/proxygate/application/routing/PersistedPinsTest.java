package io.proxygate.application.routing;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins of one instance: in memory, written behind to the store, read back on start. */
class PersistedPinsTest {
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
    private static final Duration TTL = Duration.ofHours(1);
    private static final ConversationKey CONV = ConversationKey.session("s-1");
    private static final CredentialId A = new CredentialId("key:a");
    private static final CredentialId B = new CredentialId("key:b");

    private final InMemoryPinStore store = new InMemoryPinStore();

    @Test
    void routingNeverWaitsForTheStoreAndAFlushWritesEachConversationOnce() {
        PersistedPins pins = new PersistedPins(store, TTL, 100, T0);
        for (int i = 0; i < 50; i++) {
            pins.pin(CONV, A, T0.plusSeconds(i));
        }
        assertThat(store.writes.get()).isZero();
        assertThat(store.reads.get()).isZero();
        assertThat(pins.lookup(CONV, T0.plusSeconds(60))).contains(A);

        assertThat(pins.flush()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
        assertThat(pins.flush()).isZero();
    }

    @Test
    void aNewTableReadsBackTheLivePinsWithTheirLastUse() {
        PersistedPins first = new PersistedPins(store, TTL, 100, T0);
        first.pin(CONV, B, T0);
        first.flush();

        PersistedPins restarted = new PersistedPins(store, TTL, 100, T0.plusSeconds(1800));
        assertThat(restarted.lookup(CONV, T0.plusSeconds(1800))).contains(B);
        PersistedPins idle = new PersistedPins(store, TTL, 100, T0.plusSeconds(1800));
        assertThat(idle.lookup(CONV, T0.plus(TTL))).as("expires an hour after its last use, not after the restart")
                .isEmpty();
    }

    @Test
    void whatAFailingStoreCouldNotTakeIsWrittenByTheNextFlush() {
        PersistedPins pins = new PersistedPins(store, TTL, 100, T0);
        pins.pin(CONV, A, T0);
        store.failing = true;
        assertThat(pins.flush()).isZero();
        assertThat(pins.lookup(CONV, T0.plusSeconds(5))).as("routing goes on from memory").contains(A);

        store.failing = false;
        assertThat(pins.flush()).isEqualTo(1);
        assertThat(store.live(T0)).singleElement().satisfies(p -> assertThat(p.credential()).isEqualTo(A));
    }

    @Test
    void aStoreThatCannotBeReadAtStartLeavesAnEmptyTable() {
        store.failing = true;
        PersistedPins pins = new PersistedPins(store, TTL, 100, T0);
        assertThat(pins.lookup(CONV, T0)).isEmpty();
    }
}
