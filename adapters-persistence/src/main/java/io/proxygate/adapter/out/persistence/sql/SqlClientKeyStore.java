package io.proxygate.adapter.out.persistence.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.clientkey.ClientKeyUsage;
import io.proxygate.application.port.out.ClientKeyStorePort;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.clientkey.ClientKey;
import io.proxygate.domain.clientkey.ClientKeyRules;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Client keys in the {@code client_keys} table, and their usage read from {@code request_log}. Same SQL on SQLite
 * and PostgreSQL; on PostgreSQL every instance reads the same keys and spend.
 */
public final class SqlClientKeyStore implements ClientKeyStorePort {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final String COLUMNS = "id, name, prefix, secret_hash, models, routes, daily_budget_usd, "
            + "monthly_budget_usd, rpm, max_concurrent, expires_at, metadata, created_at, revoked_at";

    private final Jdbi jdbi;
    private final UnwrittenRows unwritten;

    /** For readers beside the server (the CLI): committed rows only. */
    public SqlClientKeyStore(Jdbi jdbi) {
        this(jdbi, new UnwrittenRows());
    }

    /** Usage reads add the request log's rows not written yet, so a finished request counts at once. */
    public SqlClientKeyStore(Jdbi jdbi, UnwrittenRows unwritten) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.unwritten = Objects.requireNonNull(unwritten, "unwritten");
    }

    @Override
    public List<ClientKey> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM client_keys ORDER BY created_at")
                .map((rs, ctx) -> key(rs)).list());
    }

    @Override
    public void insert(ClientKey key) {
        jdbi.useHandle(h -> bind(h.createUpdate("INSERT INTO client_keys (" + COLUMNS + ") VALUES (:id, :name, "
                + ":prefix, :secret_hash, :models, :routes, :daily, :monthly, :rpm, :max_concurrent, :expires_at, "
                + ":metadata, :created_at, :revoked_at)"), key).execute());
    }

    @Override
    public void update(ClientKey key) {
        jdbi.useHandle(h -> bind(h.createUpdate("UPDATE client_keys SET name = :name, models = :models, "
                + "routes = :routes, daily_budget_usd = :daily, monthly_budget_usd = :monthly, rpm = :rpm, "
                + "max_concurrent = :max_concurrent, expires_at = :expires_at, metadata = :metadata, "
                + "revoked_at = :revoked_at WHERE id = :id"), key).execute());
    }

    @Override
    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM client_keys WHERE id = :id").bind("id", id)
                .execute()) > 0;
    }

    @Override
    public Map<String, ClientKeyUsage> usageBetween(Instant from, Instant to) {
        return unwritten.read(() -> storedUsage(from, to), (stored, rows) -> {
            Map<String, ClientKeyUsage> all = new HashMap<>(stored);
            for (RequestRecord r : rows) {
                if (!r.startedAt().isBefore(from) && r.startedAt().isBefore(to)) {
                    all.merge(r.clientKey(), new ClientKeyUsage(1, r.tokens().inputTokens()
                            + r.tokens().outputTokens(), r.costUsd().orElse(BigDecimal.ZERO)), ClientKeyUsage::plus);
                }
            }
            return all;
        });
    }

    private Map<String, ClientKeyUsage> storedUsage(Instant from, Instant to) {
        Map<String, ClientKeyUsage> usage = new HashMap<>();
        // Costs are summed in nano-dollars as integers, the way the roll-ups do, so both databases agree exactly.
        jdbi.useHandle(h -> h.createQuery("""
                        SELECT client_key, sum(request_count) AS requests,
                               sum(input_tokens + output_tokens) AS tokens,
                               COALESCE(sum(CAST(round(CAST(cost_usd AS DOUBLE PRECISION) * 1e9) AS BIGINT)), 0)
                                   AS cost_nanos
                          FROM request_log
                         WHERE client_key IS NOT NULL AND started_at >= :from AND started_at < :to
                         GROUP BY client_key
                        """)
                .bind("from", from.toEpochMilli()).bind("to", to.toEpochMilli())
                .map((rs, ctx) -> Map.entry(rs.getString("client_key"), new ClientKeyUsage(rs.getLong("requests"),
                        rs.getLong("tokens"), BigDecimal.valueOf(rs.getLong("cost_nanos"), 9).stripTrailingZeros())))
                .forEach(e -> usage.put(e.getKey(), e.getValue())));
        return usage;
    }

    @Override
    public Map<String, Instant> lastUsed() {
        return unwritten.read(this::storedLastUsed, (stored, rows) -> {
            Map<String, Instant> all = new HashMap<>(stored);
            rows.forEach(r -> all.merge(r.clientKey(), r.startedAt(), (a, b) -> a.isAfter(b) ? a : b));
            return all;
        });
    }

    private Map<String, Instant> storedLastUsed() {
        Map<String, Instant> last = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT client_key, max(started_at) AS last FROM request_log "
                        + "WHERE client_key IS NOT NULL GROUP BY client_key")
                .map((rs, ctx) -> Map.entry(rs.getString("client_key"), Instant.ofEpochMilli(rs.getLong("last"))))
                .forEach(e -> last.put(e.getKey(), e.getValue())));
        return last;
    }

    private static Update bind(Update update, ClientKey key) {
        ClientKeyRules r = key.rules();
        return update.bind("id", key.id()).bind("name", key.name()).bind("prefix", key.prefix())
                .bind("secret_hash", key.secretHash())
                .bind("models", String.join(",", r.models())).bind("routes", String.join(",", r.routes()))
                .bind("daily", r.dailyBudgetUsd().map(BigDecimal::toPlainString).orElse(null))
                .bind("monthly", r.monthlyBudgetUsd().map(BigDecimal::toPlainString).orElse(null))
                .bind("rpm", r.rpm().orElse(null)).bind("max_concurrent", r.maxConcurrent().orElse(null))
                .bind("expires_at", r.expiresAt().map(Instant::toEpochMilli).orElse(null))
                .bind("metadata", json(r.metadata()))
                .bind("created_at", key.createdAt().toEpochMilli())
                .bind("revoked_at", key.revokedAt().map(Instant::toEpochMilli).orElse(null));
    }

    private static ClientKey key(ResultSet rs) throws SQLException {
        ClientKeyRules rules = new ClientKeyRules(list(rs.getString("models")), list(rs.getString("routes")),
                Optional.ofNullable(rs.getString("daily_budget_usd")).map(BigDecimal::new),
                Optional.ofNullable(rs.getString("monthly_budget_usd")).map(BigDecimal::new),
                integer(rs, "rpm"), integer(rs, "max_concurrent"), instant(rs, "expires_at"),
                metadata(rs.getString("metadata")));
        return new ClientKey(rs.getString("id"), rs.getString("name"), rs.getString("prefix"),
                rs.getString("secret_hash"), rules, Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "revoked_at"));
    }

    private static List<String> list(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static Optional<Integer> integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(v);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    private static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata", e);
        }
    }

    private static Map<String, String> metadata(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
