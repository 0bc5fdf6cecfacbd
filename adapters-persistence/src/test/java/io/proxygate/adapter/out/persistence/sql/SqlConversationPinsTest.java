package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.proxygate.application.port.out.ConversationPinPort.SavedPin;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared conversation pins, on SQLite and on PostgreSQL. */
class SqlConversationPinsTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final ConversationKey CONVERSATION = ConversationKey.session("s-1");
    private static final CredentialId A = CredentialId.chatgpt("a@example.com");
    private static final CredentialId B = CredentialId.claude("b@example.com");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void aPinSavedThroughOneConnectionIsFoundThroughAnother(SqlDialect dialect) {
        TestDatabase db = TestDatabase.fresh(dialect, dir);
        SqlConversationPins first = new SqlConversationPins(db.open());
        SqlConversationPins second = new SqlConversationPins(db.open());

        first.save(CONVERSATION, A, T0);

        assertThat(second.find(CONVERSATION, T0.minusSeconds(3600))).contains(A);
        assertThat(second.find(ConversationKey.session("other"), T0.minusSeconds(3600))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void aPinLastUsedBeforeTheLiveLimitIsNotFound(SqlDialect dialect) {
        SqlConversationPins pins = new SqlConversationPins(TestDatabase.fresh(dialect, dir).open());
        pins.save(CONVERSATION, A, T0);

        assertThat(pins.find(CONVERSATION, T0)).contains(A);
        assertThat(pins.find(CONVERSATION, T0.plusMillis(1))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void severalPinsSavedAtOnceAreReadBackLiveOnesOnlyOldestUseFirst(SqlDialect dialect) {
        SqlConversationPins pins = new SqlConversationPins(TestDatabase.fresh(dialect, dir).open());
        ConversationKey older = ConversationKey.response("resp_1");
        ConversationKey idle = ConversationKey.session("idle");
        pins.saveAll(List.of(new SavedPin(CONVERSATION, A, T0.plusSeconds(60)), new SavedPin(older, B, T0),
                new SavedPin(idle, A, T0.minusSeconds(7200))));
        pins.saveAll(List.of(new SavedPin(CONVERSATION, B, T0.plusSeconds(120))));

        assertThat(pins.live(T0.minusSeconds(3600))).containsExactly(new SavedPin(older, B, T0),
                new SavedPin(CONVERSATION, B, T0.plusSeconds(120)));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void savingAgainMovesThePinAndRenewsIt(SqlDialect dialect) {
        SqlConversationPins pins = new SqlConversationPins(TestDatabase.fresh(dialect, dir).open());
        pins.save(CONVERSATION, A, T0);

        pins.save(CONVERSATION, B, T0.plusSeconds(600));

        assertThat(pins.find(CONVERSATION, T0.plusSeconds(1))).contains(B);
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void deletesOnlyIdlePins(SqlDialect dialect) {
        SqlConversationPins pins = new SqlConversationPins(TestDatabase.fresh(dialect, dir).open());
        pins.save(ConversationKey.session("old"), A, T0);
        pins.save(ConversationKey.session("recent"), B, T0.plusSeconds(60));

        assertThat(pins.deleteIdleBefore(T0.plusSeconds(30))).isEqualTo(1);

        assertThat(pins.find(ConversationKey.session("old"), Instant.EPOCH)).isEmpty();
        assertThat(pins.find(ConversationKey.session("recent"), Instant.EPOCH)).contains(B);
    }
}
