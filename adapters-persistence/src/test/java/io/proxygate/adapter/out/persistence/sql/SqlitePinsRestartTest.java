package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.pool.PoolDirectoryStore;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.routing.RouteQuery;
import io.proxygate.application.routing.RoutingPlan;
import io.proxygate.application.routing.RoutingService;
import io.proxygate.application.routing.RoutingSettings;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One instance on SQLite keeps conversation pins across a restart: pins are written behind to the database file,
 * and a new router on the same file (a restarted server) routes the conversation to its credential again.
 */
class SqlitePinsRestartTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(START);
    private final InstantSource clock = () -> now.get();
    private CredentialPool pool;

    @BeforeEach
    void twoKeys() throws IOException {
        Files.createDirectories(dir.resolve("pool/apikeys"));
        Files.writeString(dir.resolve("pool/apikeys/one.json"), """
                {"id": "one", "type": "openai", "api_key": "sk-test-one"}""");
        Files.writeString(dir.resolve("pool/apikeys/two.json"), """
                {"id": "two", "type": "openai", "api_key": "sk-test-two"}""");
        pool = new CredentialPool(new PoolDirectoryStore(dir.resolve("pool"), clock));
        pool.reload();
    }

    /** A server start: a new router on the database file, as the server wires it for SQLite. */
    private RoutingService start() {
        var jdbi = SqliteDatabase.open(dir.resolve("data/proxygate.db"));
        return RoutingService.persistingPins(pool, new SqlCredentialState(jdbi, clock),
                new SqlConversationPins(jdbi), RoutingSettings.DEFAULTS, clock);
    }

    private static RouteQuery chat(String conversation) {
        return new RouteQuery(Api.CHAT_COMPLETIONS, "gpt-4o", Optional.of(ConversationKey.session(conversation)),
                Optional.empty());
    }

    private static CredentialId first(RoutingPlan plan) {
        return plan.candidates().getFirst().credential().id();
    }

    @Test
    void aPinnedConversationKeepsItsCredentialAfterARestart() {
        RoutingService before = start();
        RoutingPlan fresh = before.plan(chat("conv-1"));
        assertThat(fresh.candidates()).hasSize(2);
        // Pin the conversation to the credential the router would not pick first, so only the pin explains it.
        CredentialId other = fresh.candidates().get(1).credential().id();
        before.onSuccess(other, chat("conv-1"), Optional.of("resp_abc"));
        assertThat(before.flushPins()).isEqualTo(2); // the session and the response id

        now.set(START.plusSeconds(600));
        RoutingService after = start();

        RoutingPlan plan = after.plan(chat("conv-1"));
        assertThat(plan.pinned()).isTrue();
        assertThat(first(plan)).isEqualTo(other);
        RoutingPlan byResponse = after.plan(new RouteQuery(Api.CHAT_COMPLETIONS, "gpt-4o", Optional.empty(),
                Optional.of("resp_abc")));
        assertThat(first(byResponse)).isEqualTo(other);
        RoutingPlan unpinned = after.plan(chat("conv-2"));
        assertThat(unpinned.pinned()).isFalse();
        assertThat(first(unpinned)).as("without the pin the router picks the other one").isNotEqualTo(other);
    }

    @Test
    void aPinIdleForItsWholeTimeToLiveIsNotRestored() {
        RoutingService before = start();
        CredentialId other = before.plan(chat("conv-1")).candidates().get(1).credential().id();
        before.onSuccess(other, chat("conv-1"), Optional.empty());
        before.flushPins();

        now.set(START.plus(Duration.ofHours(1)));
        RoutingService after = start();

        assertThat(after.plan(chat("conv-1")).pinned()).isFalse();
    }

    @Test
    void pinsNotYetFlushedAreWrittenByTheNextFlushOnly() {
        RoutingService before = start();
        CredentialId other = before.plan(chat("conv-1")).candidates().get(1).credential().id();
        before.onSuccess(other, chat("conv-1"), Optional.empty());

        assertThat(start().plan(chat("conv-1")).pinned()).as("not written yet").isFalse();
        before.flushPins();
        assertThat(before.flushPins()).as("nothing new to write").isZero();
        assertThat(first(start().plan(chat("conv-1")))).isEqualTo(other);
    }
}
