package io.proxygate.domain.routing;

import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationPinsTest {
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
    private static final CredentialId A = CredentialId.chatgpt("a@example.com");
    private static final CredentialId B = CredentialId.chatgpt("b@example.com");

    @Test
    void aPinHoldsUntilItHasBeenIdleForTheTtl() {
        ConversationPins pins = new ConversationPins(Duration.ofHours(1), 100);
        ConversationKey key = ConversationKey.session("s1");
        pins.pin(key, A, T0);
        assertThat(pins.lookup(key, T0.plus(Duration.ofMinutes(59)))).contains(A);
        // the lookup above renewed it
        assertThat(pins.lookup(key, T0.plus(Duration.ofMinutes(118)))).contains(A);
        assertThat(pins.lookup(key, T0.plus(Duration.ofMinutes(178)))).isEmpty();
        assertThat(pins.size()).isZero();
    }

    @Test
    void pinningAgainMovesTheConversation() {
        ConversationPins pins = new ConversationPins(Duration.ofHours(1), 100);
        ConversationKey key = ConversationKey.session("s1");
        pins.pin(key, A, T0);
        pins.pin(key, B, T0.plusSeconds(1));
        assertThat(pins.lookup(key, T0.plusSeconds(2))).contains(B);
        assertThat(pins.size()).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedPinGoesWhenTheTableIsFull() {
        ConversationPins pins = new ConversationPins(Duration.ofHours(1), 3);
        for (int i = 1; i <= 3; i++) {
            pins.pin(ConversationKey.session("s" + i), A, T0.plus(Duration.ofMinutes(i)));
        }
        pins.lookup(ConversationKey.session("s1"), T0.plus(Duration.ofMinutes(4)));
        pins.pin(ConversationKey.session("s4"), B, T0.plus(Duration.ofMinutes(5)));
        assertThat(pins.size()).isEqualTo(3);
        Instant later = T0.plus(Duration.ofMinutes(6));
        assertThat(pins.lookup(ConversationKey.session("s2"), later)).isEmpty();
        assertThat(pins.lookup(ConversationKey.session("s1"), later)).contains(A);
        assertThat(pins.lookup(ConversationKey.session("s4"), later)).contains(B);
    }

    @Test
    void useRenewsAPinAtMostOncePerSixtiethOfTheTtl() {
        ConversationPins pins = new ConversationPins(Duration.ofHours(1), 100);
        ConversationKey key = ConversationKey.session("s1");
        pins.pin(key, A, T0);
        // 30 s later: too soon to renew, so the pin still dates from T0
        assertThat(pins.lookup(key, T0.plusSeconds(30))).contains(A);
        assertThat(pins.lookup(key, T0.plus(Duration.ofHours(1)))).isEmpty();

        pins.pin(key, A, T0);
        assertThat(pins.lookup(key, T0.plusSeconds(60))).contains(A);
        assertThat(pins.lookup(key, T0.plus(Duration.ofHours(1)))).contains(A);
    }

    @Test
    void largeTablesStayBounded() {
        ConversationPins pins = new ConversationPins(Duration.ofHours(1), 100_000);
        for (int i = 0; i < 150_000; i++) {
            pins.pin(ConversationKey.session("s" + i), A, T0);
        }
        assertThat(pins.size()).isBetween(99_000, 100_000 + 16);
        assertThat(pins.lookup(ConversationKey.session("s149999"), T0)).contains(A);
        assertThat(pins.lookup(ConversationKey.session("s0"), T0)).isEmpty();
    }

    @Test
    void newPinsSweepExpiredOnesAndSweepClearsTheRest() {
        ConversationPins pins = new ConversationPins(Duration.ofMinutes(10), 100);
        for (int i = 0; i < 5; i++) {
            pins.pin(ConversationKey.session("old" + i), A, T0);
        }
        pins.pin(ConversationKey.session("new"), B, T0.plus(Duration.ofMinutes(11)));
        assertThat(pins.size()).isEqualTo(1);

        ConversationPins striped = new ConversationPins(Duration.ofMinutes(10), 50_000);
        for (int i = 0; i < 1000; i++) {
            striped.pin(ConversationKey.session("k" + i), A, T0);
        }
        striped.pin(ConversationKey.session("live"), A, T0.plus(Duration.ofMinutes(9)));
        assertThat(striped.sweep(T0.plus(Duration.ofMinutes(10)))).isEqualTo(1000);
        assertThat(striped.size()).isEqualTo(1);
    }

    @Test
    void forgetDropsEveryPinOfACredential() {
        ConversationPins pins = new ConversationPins(Duration.ofHours(1), 100);
        pins.pin(ConversationKey.session("s1"), A, T0);
        pins.pin(ConversationKey.response("resp_1"), A, T0);
        pins.pin(ConversationKey.session("s2"), B, T0);
        pins.forget(A);
        assertThat(pins.size()).isEqualTo(1);
        assertThat(pins.lookup(ConversationKey.session("s2"), T0)).contains(B);
    }

    @Test
    void rejectsNonsenseLimits() {
        assertThatThrownBy(() -> new ConversationPins(Duration.ZERO, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConversationPins(Duration.ofHours(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
