package io.proxygate.bootstrap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.rvesse.airline.annotations.Command;
import io.proxygate.adapter.out.persistence.bolt.BoltFile;
import io.proxygate.adapter.out.persistence.sql.Databases;
import io.proxygate.adapter.out.persistence.sql.SqlCredentialState;
import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import io.proxygate.adapter.out.persistence.sql.SqlUsageStats;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.CredentialKind;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code status}: the configuration summary and pool counts (seven fixed lines), then each credential's runtime state
 * (cooldown, needs-login, usage windows) read from SQLite, which works while the server runs (WAL mode).
 */
@Command(name = "status", description = "Show configuration, pool counts and each credential's state")
public final class StatusCommand extends JsonOutputCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A longer state (a needs-login reason with the provider's message) is cut in the table and shown whole below. */
    static final int MAX_STATE_WIDTH = 40;

    /** The state {@code status} shows for each credential, read once from the database (none yet: "active"). */
    static java.util.function.Function<PoolEntry, String> stateTexts(ProxyGateConfiguration cfg, Instant now) {
        Optional<Jdbi> db = database(cfg);
        Map<CredentialId, CredentialStateRecord> states = db.map(StatusCommand::states).orElse(Map.of());
        Map<CredentialId, UsageTotals> today = db.map(StatusCommand::today).orElse(Map.of());
        return e -> state(e, states.get(e.credential().id()), now, overBudget(cfg, e, today));
    }

    @Override
    public int run(CliContext context) {
        ProxyGateConfiguration cfg = config.load(context);
        try (CliServices services = new CliServices(cfg)) {
            Optional<Jdbi> db = database(cfg);
            Map<CredentialId, CredentialStateRecord> states = db.map(StatusCommand::states).orElse(Map.of());
            Map<CredentialId, UsageTotals> today = db.map(StatusCommand::today).orElse(Map.of());
            var snapshot = services.pool.snapshot();
            long accounts = count(snapshot.entries(), CredentialKind.CHATGPT_ACCOUNT);
            long claude = count(snapshot.entries(), CredentialKind.CLAUDE_ACCOUNT);
            long keys = snapshot.entries().values().stream().filter(e -> !e.credential().kind().isAccount()).count();
            Instant now = Instant.now();
            LiveState live = snapshot.entries().isEmpty() && !json ? null : LiveState.fetch(cfg);
            if (json) {
                ObjectNode root = JSON.createObjectNode();
                root.put("addr", cfg.server.addrText());
                root.put("data_dir", cfg.paths.dataDir.toString());
                root.put("pool_dir", cfg.paths.poolDir.toString());
                root.put("priority", cfg.routing.priority.wireName());
                root.put("accounts", accounts);
                root.put("claude_accounts", claude);
                root.put("api_keys", keys);
                root.put("server_running", live.available());
                if (!live.available()) {
                    root.put("server_note", live.note());
                }
                ArrayNode creds = root.putArray("credentials");
                for (PoolEntry e : snapshot.entries().values()) {
                    ObjectNode row = creds.addObject();
                    row.put("id", e.credential().id().value());
                    row.put("kind", e.credential().kind().provider());
                    row.put("state", state(e, states.get(e.credential().id()), now, overBudget(cfg, e, today)));
                    PoolListing.controls(row, e.controls());
                    live.of(e.credential()).ifPresent(l -> LiveState.json(row, l));
                    Optional.ofNullable(states.get(e.credential().id())).flatMap(CredentialStateRecord::windows)
                            .ifPresent(w -> {
                                w.fiveHour().ifPresent(x -> row.put("primary_used_pct", x.usedFraction()));
                                w.weekly().ifPresent(x -> row.put("secondary_used_pct", x.usedFraction()));
                            });
                    Optional.ofNullable(today.get(e.credential().id())).ifPresent(t -> {
                        ObjectNode usage = row.putObject("today");
                        usage.put("requests", t.requests());
                        usage.put("errors", t.errors());
                        usage.put("input_tokens", t.tokens().inputTokens());
                        usage.put("output_tokens", t.tokens().outputTokens());
                        usage.put("cost_usd", t.costUsd().toPlainString());
                    });
                }
                ArrayNode problems = root.putArray("problems");
                snapshot.problems().forEach(p -> problems.addObject().put("file", p.path())
                        .put("problem", p.problem().orElse("")));
                context.out().println(root.toPrettyString());
                return 0;
            }
            // Seven fixed lines, labels and padding unchanged (scripts parse them); the details follow.
            context.out().println("addr:        " + cfg.server.addrText());
            context.out().println("data_dir:    " + cfg.paths.dataDir);
            context.out().println("pool_dir:    " + cfg.paths.poolDir);
            context.out().println("priority:    " + cfg.routing.priority.wireName());
            context.out().println("accounts:    " + accounts);
            context.out().println("claude_accounts: " + claude);
            context.out().println("api_keys:    " + keys);
            if (!snapshot.entries().isEmpty()) {
                context.out().println();
                Map<CredentialId, String> stateTexts = new java.util.LinkedHashMap<>();
                snapshot.entries().values().forEach(e -> stateTexts.put(e.credential().id(),
                        state(e, states.get(e.credential().id()), now, overBudget(cfg, e, today))));
                int idWidth = TableCells.width("CREDENTIAL", snapshot.entries().values().stream()
                        .map(e -> e.credential().id().value()).toList(), 36, Integer.MAX_VALUE);
                int stateWidth = TableCells.width("STATE", stateTexts.values(), 28, MAX_STATE_WIDTH);
                context.out().printf("%s %s %-13s %-13s %s%n", TableCells.fit("CREDENTIAL", idWidth),
                        TableCells.fit("STATE", stateWidth), "5H USED", "WEEKLY USED",
                        "TODAY (requests, tokens in/out, cost)");
                for (PoolEntry e : snapshot.entries().values()) {
                    CredentialStateRecord s = states.get(e.credential().id());
                    Optional<UsageWindows> w = Optional.ofNullable(s).flatMap(CredentialStateRecord::windows);
                    String state = stateTexts.get(e.credential().id());
                    context.out().printf("%s %s %-13s %-13s %s%n", TableCells.fit(e.credential().id().value(), idWidth),
                            TableCells.fit(state, stateWidth),
                            window(w.flatMap(UsageWindows::fiveHour), now), window(w.flatMap(UsageWindows::weekly), now),
                            Optional.ofNullable(today.get(e.credential().id())).map(StatusCommand::usage).orElse("idle"));
                    if (!TableCells.fits(state, stateWidth)) {
                        context.out().println("    state: " + state);
                    }
                    String controls = e.controls().summary();
                    if (!controls.isEmpty()) {
                        // Proxy as scheme, host and port only: the pool file's login never reaches a terminal.
                        context.out().println("    controls: " + controls);
                    }
                    // In flight and model cooldowns live in the running server's memory only.
                    var l = live.of(e.credential());
                    int cap = e.controls().maxConcurrent();
                    l.filter(x -> cap > 0 || x.inFlight() > 0).ifPresent(x ->
                            context.out().println("    in flight: " + LiveState.inFlight(x, cap)));
                    l.filter(x -> !x.modelCooldowns().isEmpty()).ifPresent(x ->
                            context.out().println("    model cooldown: " + LiveState.cooldownText(x.modelCooldowns())));
                }
                if (!live.available()) {
                    context.out().println(live.note());
                }
            }
            for (PoolFile p : snapshot.problems()) {
                context.out().println("problem: " + p.path() + ": " + p.problem().orElse(""));
            }
            return 0;
        }
    }

    /**
     * The configured database: PostgreSQL, or the SQLite file in the data directory (none yet: no state, and the
     * file is not created just to be read).
     */
    private static Optional<Jdbi> database(ProxyGateConfiguration cfg) {
        if (!cfg.database.url.isBlank()) {
            return Optional.of(Databases.open(cfg.database.url, cfg.database.user, cfg.database.password));
        }
        Path db = cfg.paths.dataDir.resolve("proxygate.db");
        // The Go version's bbolt file at this path is imported when the server starts; until then there is no state.
        return Files.isRegularFile(db) && !goDatabase(db) ? Optional.of(SqliteDatabase.open(db)) : Optional.empty();
    }

    private static boolean goDatabase(Path db) {
        try {
            return BoltFile.isBolt(db);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Today's totals per credential, the server's local day, from the request log. */
    private static Map<CredentialId, UsageTotals> today(Jdbi db) {
        Instant startOfDay = LocalDate.now().atStartOfDay(ZoneId.systemDefault()).toInstant();
        Map<CredentialId, UsageTotals> byCredential = new HashMap<>();
        for (UsageTotals t : new SqlUsageStats(db).totalsByCredential(startOfDay,
                Instant.now().plusSeconds(1))) {
            t.credential().ifPresent(id -> byCredential.put(id, t));
        }
        return byCredential;
    }

    private static String usage(UsageTotals t) {
        return String.format(Locale.ROOT, "%dr · %d/%d · $%s", t.requests(), t.tokens().inputTokens(),
                t.tokens().outputTokens(), t.costUsd().setScale(4, java.math.RoundingMode.HALF_UP).toPlainString());
    }

    private static Map<CredentialId, CredentialStateRecord> states(Jdbi db) {
        return new SqlCredentialState(db, java.time.InstantSource.system()).loadAll();
    }

    private static long count(Map<CredentialId, PoolEntry> entries, CredentialKind kind) {
        return entries.values().stream().filter(e -> e.credential().kind() == kind).count();
    }

    /** The daily budget the credential reached today, if any ({@code [usage] *_daily_budget_usd}). */
    private static Optional<String> overBudget(ProxyGateConfiguration cfg, PoolEntry e,
                                               Map<CredentialId, UsageTotals> today) {
        java.math.BigDecimal budget = e.credential().kind().isAccount() ? cfg.usage.accountDailyBudgetUsd
                : cfg.usage.keyDailyBudgetUsd;
        java.math.BigDecimal spent = Optional.ofNullable(today.get(e.credential().id())).map(UsageTotals::costUsd)
                .orElse(java.math.BigDecimal.ZERO);
        return budget.signum() > 0 && spent.compareTo(budget) >= 0
                ? Optional.of("over daily budget ($" + budget.toPlainString() + ")") : Optional.empty();
    }

    private static String state(PoolEntry e, CredentialStateRecord s, Instant now, Optional<String> overBudget) {
        if (e.credential().disabled()) {
            return "disabled";
        }
        if (overBudget.isPresent()) {
            return overBudget.get();
        }
        if (e.credential().kind() == CredentialKind.UNSUPPORTED_KEY) {
            return "unsupported type";
        }
        if (s != null && s.needsLoginReason().isPresent()) {
            return "needs login: " + s.needsLoginReason().get();
        }
        if (s != null && s.cooldownUntil().filter(now::isBefore).isPresent()) {
            return "cooling " + human(Duration.between(now, s.cooldownUntil().get()))
                    + s.cooldownReason().map(r -> " (" + r + ")").orElse("");
        }
        return "active";
    }

    private static String window(Optional<UsageWindow> w, Instant now) {
        return w.map(x -> String.format(Locale.ROOT, "%.0f%%", x.usedFraction() * 100)
                + x.resetsAt().filter(now::isBefore).map(r -> " ~" + human(Duration.between(now, r))).orElse(""))
                .orElse("-");
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 86400) {
            return s / 86400 + "d" + (s % 86400) / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m" : s + "s";
    }
}
