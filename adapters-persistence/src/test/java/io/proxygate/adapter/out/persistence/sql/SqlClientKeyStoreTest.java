package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.testing.TestDatabase;
import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.clientkey.ClientKeyUsage;
import io.proxygate.application.clientkey.CreatedClientKey;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.http.Route;
import io.proxygate.application.usage.CostEstimator;
import io.proxygate.domain.clientkey.ClientKey;
import io.proxygate.domain.clientkey.ClientKeyRules;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Client keys and their usage on a real database; two stores on one database stand for two instances. */
class SqlClientKeyStoreTest {
    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

    @TempDir
    Path dir;
    private TestDatabase database;
    private Jdbi jdbi;
    private SqlClientKeyStore store;

    SqlDialect dialect() {
        return SqlDialect.SQLITE;
    }

    @BeforeEach
    void open() {
        database = TestDatabase.fresh(dialect(), dir);
        jdbi = database.open();
        store = new SqlClientKeyStore(jdbi);
    }

    private static ClientKeyRules rules() {
        return new ClientKeyRules(List.of("claude-sonnet-*", "gpt-5*"), List.of("messages", "responses"),
                Optional.of(new BigDecimal("2.50")), Optional.of(new BigDecimal("40")), Optional.of(60),
                Optional.of(3), Optional.of(NOW.plusSeconds(86400)), Map.of("team", "mobile"));
    }

    @Test
    void keysRoundTripWithEveryRuleAndOnlyTheirHash() {
        ClientKey key = new ClientKey("ck_1", "alice laptop", "pgk_abcdefgh", "f".repeat(64), rules(), NOW,
                Optional.empty());
        store.insert(key);

        assertThat(store.all()).containsExactly(key);
        ClientKey revoked = key.withName("alice").revokedAt(NOW.plusSeconds(5));
        store.update(revoked);
        assertThat(store.byId("ck_1")).contains(revoked);
        assertThat(store.delete("ck_1")).isTrue();
        assertThat(store.all()).isEmpty();
    }

    @Test
    void usageSumsRowsPerKeyAndSurvivesTheKeysDeletion() {
        store.insert(new ClientKey("ck_1", "a", "pgk_a", "a".repeat(64), ClientKeyRules.NONE, NOW,
                Optional.of(NOW)));
        jdbi.useExtension(RequestLogDao.class, dao -> dao.insertAll(List.of(
                row("r1", NOW, "ck_1", "0.10"), row("r2", NOW.plusSeconds(1), "ck_1", "0.25"),
                row("r3", NOW, "owner", "1"), row("r4", NOW.minusSeconds(86400 * 40), "ck_1", "9"),
                row("r5", NOW, "ck_1", null))));
        store.delete("ck_1");

        Map<String, ClientKeyUsage> usage = store.usageBetween(NOW.minusSeconds(3600), NOW.plusSeconds(3600));
        assertThat(usage.get("ck_1")).isEqualTo(new ClientKeyUsage(3, 45, new BigDecimal("0.35")));
        assertThat(usage.get("owner").costUsd()).isEqualByComparingTo("1");
        assertThat(store.lastUsed()).containsEntry("ck_1", NOW.plusSeconds(1));
    }

    @Test
    void aKeyRevokedOnOneInstanceIsRefusedOnTheOtherAfterItsNextSyncAndSpendIsShared() {
        ClientKeyService first = service(store);
        ClientKeyService second = service(new SqlClientKeyStore(database.open()));
        CreatedClientKey created = first.create("ci", new ClientKeyRules(List.of(), List.of(), Optional.of(
                new BigDecimal("1")), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of()));
        second.sync();
        ClientKey seen = second.authenticate(created.secret());
        assertThat(seen.id()).isEqualTo(created.key().id());

        // Spend written by the first instance counts on the second after a sync.
        jdbi.useExtension(RequestLogDao.class, dao -> dao.insertAll(List.of(row("r1", NOW, seen.id(), "1.5"))));
        second.sync();
        assertThatThrownBy(() -> second.admit(seen.id(), Route.MESSAGES, "claude-sonnet-4", 100))
                .isInstanceOf(ProxyFailure.class).hasMessageContaining("daily budget")
                .satisfies(f -> assertThat(((ProxyFailure) f).status()).isEqualTo(429));

        first.revoke(created.key().id());
        assertThat(second.authenticate(created.secret())).isNotNull(); // not yet synced
        second.sync();
        assertThatThrownBy(() -> second.authenticate(created.secret())).isInstanceOf(ProxyFailure.class)
                .hasMessageContaining("revoked");
    }

    private static ClientKeyService service(SqlClientKeyStore store) {
        return new ClientKeyService(store, CostEstimator.UNPRICED, InstantSource.fixed(NOW), ZoneOffset.UTC,
                new SecureRandom(), true);
    }

    private static RequestLogRow row(String id, Instant at, String clientKey, String cost) {
        return new RequestLogRow(id, at.toEpochMilli(), "/v1/messages", "claude-pool", "c1", "claude-sonnet-4", null,
                200, 10, 0, 0, 5, 0, cost, 100, 50L, null, null, null, 0, "", clientKey);
    }
}
