package io.proxygate.bootstrap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.rvesse.airline.annotations.Arguments;
import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.Option;
import com.github.rvesse.airline.annotations.restrictions.Required;
import io.proxygate.adapter.out.persistence.sql.Databases;
import io.proxygate.adapter.out.persistence.sql.SqlClientKeyStore;
import io.proxygate.adapter.out.persistence.sql.SqlDialect;
import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.clientkey.ClientKeyUsage;
import io.proxygate.application.clientkey.ClientKeyView;
import io.proxygate.application.clientkey.CreatedClientKey;
import io.proxygate.application.usage.CostEstimator;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.clientkey.ClientKey;
import io.proxygate.domain.clientkey.ClientKeyRules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code client-key create|list|revoke|update}: client keys in the server's database. A running server takes the
 * change in within {@code [database] sync_interval}, so these work with the server stopped or running, on SQLite
 * and on a shared PostgreSQL alike.
 */
final class ClientKeyCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientKeyCommands() {
    }

    /**
     * Tells a running server to read the keys again now, so the change applies at once; other instances on a shared
     * database take it in within {@code [database] sync_interval}. Says which happened.
     */
    static void applyToRunningServer(ProxyGateConfiguration config, CliContext context) {
        if (!RunningServer.post(config, "/admin/client-keys/sync")) {
            context.err().println("(no server answered at " + config.server.addr + "; a server starting later, or "
                    + "another instance, reads it within [database] sync_interval)");
        }
    }

    /**
     * The key service over the configured database (created and migrated when it does not exist yet; the Go
     * version's database there is imported first, as the server does).
     */
    static ClientKeyService service(ProxyGateConfiguration config, CliContext context) {
        String url = config.database.jdbcUrl(config.paths.dataDir);
        if (SqlDialect.of(url) == SqlDialect.SQLITE) {
            try {
                if (!Files.isDirectory(config.paths.dataDir)) {
                    Files.createDirectories(config.paths.dataDir);
                    try {
                        Files.setPosixFilePermissions(config.paths.dataDir,
                                PosixFilePermissions.fromString("rwx------"));
                    } catch (UnsupportedOperationException notPosix) {
                        // nothing to tighten
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        GoDatabaseOnFirstUse.importIfPresent(config, context);
        // Before the first connection, as the server does: the file is made owner-only before SQLite creates it, and
        // the driver's library is taken from its copy beside the database.
        SqliteDatabase.fileOf(url).ifPresent(SqliteDatabase::prepare);
        var jdbi = Databases.open(url, config.database.user, config.database.password);
        return new ClientKeyService(new SqlClientKeyStore(jdbi), CostEstimator.UNPRICED, InstantSource.system(),
                ZoneId.systemDefault(), new SecureRandom(), false);
    }

    /** The rule flags create and update share; an update changes only the flags it is given. */
    abstract static class RuleFlags extends ConfiguredCommand {
        @Option(name = "--models", title = "GLOBS", description = "allowed models, comma-separated globs "
                + "(e.g. claude-sonnet-*,gpt-5*); 'none' clears")
        String models;

        @Option(name = "--routes", title = "ROUTES", description = "allowed routes: messages,responses,chat,"
                + "passthrough (none given: all but passthrough); 'none' clears")
        String routes;

        @Option(name = "--daily-budget", title = "USD", description = "estimated cost allowed per local day; "
                + "'none' clears")
        String dailyBudget;

        @Option(name = "--monthly-budget", title = "USD", description = "estimated cost allowed per month; "
                + "'none' clears")
        String monthlyBudget;

        @Option(name = "--rpm", title = "N", description = "requests per minute; 'none' clears")
        String rpm;

        @Option(name = "--max-concurrent", title = "N", description = "requests in flight; 'none' clears")
        String maxConcurrent;

        @Option(name = "--expires", title = "WHEN", description = "30d, 12h, 2026-12-31 or an RFC 3339 time; "
                + "'none' clears")
        String expires;

        @Option(name = "--metadata", title = "K=V,...", description = "free-form labels, e.g. team=mobile,owner=ann")
        String metadata;

        ClientKeyRules apply(ClientKeyRules base) {
            try {
                return new ClientKeyRules(
                        models == null ? base.models() : list(models),
                        routes == null ? base.routes() : list(routes),
                        dailyBudget == null ? base.dailyBudgetUsd() : money(dailyBudget, "--daily-budget"),
                        monthlyBudget == null ? base.monthlyBudgetUsd() : money(monthlyBudget, "--monthly-budget"),
                        rpm == null ? base.rpm() : integer(rpm, "--rpm"),
                        maxConcurrent == null ? base.maxConcurrent() : integer(maxConcurrent, "--max-concurrent"),
                        expires == null ? base.expiresAt() : none(expires) ? Optional.empty()
                                : Optional.of(ClientKeyService.expiry(expires, java.time.Instant.now(),
                                ZoneId.systemDefault())),
                        metadata == null ? base.metadata() : metadata(metadata));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(e.getMessage());
            }
        }

        private static boolean none(String v) {
            return v.isBlank() || v.equalsIgnoreCase("none");
        }

        private static List<String> list(String v) {
            return none(v) ? List.of() : Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .toList();
        }

        private static Optional<BigDecimal> money(String v, String flag) {
            if (none(v)) {
                return Optional.empty();
            }
            try {
                return Optional.of(new BigDecimal(v.strip().replace("$", "")));
            } catch (NumberFormatException e) {
                throw new CliFailure(flag + " must be a number of US dollars: " + v);
            }
        }

        private static Optional<Integer> integer(String v, String flag) {
            if (none(v)) {
                return Optional.empty();
            }
            try {
                return Optional.of(Integer.parseInt(v.strip()));
            } catch (NumberFormatException e) {
                throw new CliFailure(flag + " must be a whole number: " + v);
            }
        }

        private static Map<String, String> metadata(String v) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String pair : list(v)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new CliFailure("--metadata takes key=value pairs: " + pair);
                }
                out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            return out;
        }
    }

    @Command(name = "create", description = "Create a client key and print its secret (shown this once only)")
    public static final class Create extends RuleFlags {
        @Option(name = "--name", title = "NAME", description = "who or what the key is for")
        @Required
        String name;

        @Option(name = "--json", description = "print JSON")
        boolean json;

        @Override
        public int run(CliContext context) {
            ProxyGateConfiguration cfg = config.load(context);
            ClientKeyService keys = service(cfg, context);
            CreatedClientKey created;
            try {
                created = keys.create(name, apply(ClientKeyRules.NONE));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(e.getMessage());
            }
            applyToRunningServer(cfg, context);
            if (json) {
                ObjectNode out = JSON.createObjectNode().put("id", created.key().id()).put("name",
                        created.key().name()).put("key", created.secret());
                out.setAll((ObjectNode) JSON.valueToTree(rules(created.key().rules())));
                out.put("prefix", created.key().prefix()).put("created_at", created.key().createdAt().toString());
                context.out().println(out.toPrettyString());
                return 0;
            }
            context.out().println("created client key " + created.key().name() + " (" + created.key().id() + ")");
            context.out().println("key: " + created.secret());
            context.out().println("This is the only time the key is shown: hand it over now. Clients send it as "
                    + "Authorization: Bearer, x-api-key or X-ProxyGate-Token.");
            return 0;
        }
    }

    @Command(name = "update", description = "Change a client key's rules (only the flags given)")
    public static final class Update extends RuleFlags {
        @Arguments(title = "id|name", description = "the key's id or name")
        @Required
        String target;

        @Option(name = "--name", title = "NAME", description = "a new name")
        String name;

        @Override
        public int run(CliContext context) {
            return changeKey(context, config, target, "updated",
                    (keys, key) -> keys.update(key.id(), Optional.ofNullable(name), apply(key.rules())));
        }
    }

    @Command(name = "revoke", description = "Revoke a client key: refused at once by a running server (by other "
            + "instances within [database] sync_interval)")
    public static final class Revoke extends ConfiguredCommand {
        @Arguments(title = "id|name", description = "the key's id or name")
        @Required
        String target;

        @Override
        public int run(CliContext context) {
            return changeKey(context, config, target, "revoked", (keys, key) -> keys.revoke(key.id()));
        }
    }

    @Command(name = "list", description = "List client keys with today's and this month's usage")
    public static final class ListKeys extends JsonOutputCommand {
        @Override
        public int run(CliContext context) {
            List<ClientKeyView> views = service(config.load(context), context).list();
            if (json) {
                ArrayNode array = JSON.createArrayNode();
                for (ClientKeyView v : views) {
                    ObjectNode row = array.addObject().put("id", v.key().id()).put("name", v.key().name());
                    row.setAll((ObjectNode) JSON.valueToTree(rules(v.key().rules())));
                    row.put("prefix", v.key().prefix()).put("created_at", v.key().createdAt().toString());
                    v.key().revokedAt().ifPresent(t -> row.put("revoked_at", t.toString()));
                    v.lastUsedAt().ifPresent(t -> row.put("last_used_at", t.toString()));
                    row.set("today", JSON.valueToTree(usage(v.today())));
                    row.set("month", JSON.valueToTree(usage(v.month())));
                    row.put("state", v.state());
                }
                context.out().println(array.toPrettyString());
                return 0;
            }
            if (views.isEmpty()) {
                context.out().println("(no client keys; create one with `proxy-gate client-key create --name=NAME`)");
                return 0;
            }
            context.out().printf("%-16s %-20s %-12s %-14s %9s %12s %12s  %s%n", "ID", "NAME", "STATE", "PREFIX",
                    "REQ TODAY", "COST TODAY", "COST MONTH", "LAST USED");
            for (ClientKeyView v : views) {
                context.out().printf("%-16s %-20s %-12s %-14s %9d %12s %12s  %s%n", v.key().id(), v.key().name(),
                        v.state(), v.key().prefix(), v.today().requests(),
                        budget(v.today().costUsd(), v.key().rules().dailyBudgetUsd()),
                        budget(v.month().costUsd(), v.key().rules().monthlyBudgetUsd()),
                        v.lastUsedAt().map(Object::toString).orElse("never"));
            }
            return 0;
        }

        private static String budget(BigDecimal spent, Optional<BigDecimal> budget) {
            String s = "$" + spent.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
            return budget.map(b -> s + "/" + b.stripTrailingZeros().toPlainString()).orElse(s);
        }
    }

    /**
     * Applies {@code change} to the key {@code target} names (id or name), tells a running server and prints
     * {@code <done> client key NAME (ID)}.
     */
    private static int changeKey(CliContext context, ConfigOption config, String target, String done,
                                 BiFunction<ClientKeyService, ClientKey, ClientKey> change) {
        ProxyGateConfiguration cfg = config.load(context);
        ClientKeyService keys = service(cfg, context);
        ClientKey changed = change.apply(keys, find(keys, target));
        applyToRunningServer(cfg, context);
        context.out().println(done + " client key " + changed.name() + " (" + changed.id() + ")");
        return 0;
    }

    private static ClientKey find(ClientKeyService keys, String target) {
        try {
            return keys.find(target);
        } catch (NoSuchElementException e) {
            throw new CliFailure("no client key " + target + " (see `proxy-gate client-key list`)");
        }
    }

    static Map<String, Object> rules(ClientKeyRules r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("models", r.models());
        out.put("routes", r.routes());
        out.put("daily_budget_usd", r.dailyBudgetUsd().orElse(null));
        out.put("monthly_budget_usd", r.monthlyBudgetUsd().orElse(null));
        out.put("rpm", r.rpm().orElse(null));
        out.put("max_concurrent", r.maxConcurrent().orElse(null));
        out.put("expires_at", r.expiresAt().map(Object::toString).orElse(null));
        out.put("metadata", r.metadata());
        return out;
    }

    private static Map<String, Object> usage(ClientKeyUsage u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", u.requests());
        out.put("tokens", u.tokens());
        out.put("cost_usd", u.costUsd());
        return out;
    }
}
