package io.proxygate.bootstrap.config;

import io.proxygate.domain.routing.RoutingPriority;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads {@code config.toml} and applies environment overrides: the short variable names of {@code ORIGINAL_ENV}
 * (documented in the README, unchanged since the Go version), and {@code PROXYGATE_<TABLE>_<KEY>} for every key.
 * Precedence: environment, then TOML, then defaults.
 * A bad value of a known key fails with one line naming the key and the expected form. An unknown key, or a
 * {@code [log] level} that is not a level, is only a warning (with a "did you mean" for near misses), left in
 * {@link ProxyGateConfiguration#warnings} for the caller to log: a config written for an older or newer version
 * must still start.
 */
public final class ConfigLoader {
    private record Key(String table, String name, BiConsumer<ProxyGateConfiguration, String> apply) {
        String qualified() {
            return ConfigLoader.qualified(table, name);
        }

        String envName() {
            return "PROXYGATE_" + table.toUpperCase(Locale.ROOT) + "_" + name.toUpperCase(Locale.ROOT);
        }
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    /** Short variable names (PROXYGATE_ADDR, ...), each mapped to the key it sets; existing deployments use them. */
    private static final Map<String, String> ORIGINAL_ENV = Map.ofEntries(
            Map.entry("PROXYGATE_ADDR", "server.addr"),
            Map.entry("PROXYGATE_ADMIN_TOKEN", "server.admin_token"),
            Map.entry("PROXYGATE_PROXY_TOKEN", "server.proxy_token"),
            Map.entry("PROXYGATE_PUBLIC_BASE_URL", "server.public_base_url"),
            Map.entry("PROXYGATE_DATA_DIR", "paths.data_dir"),
            Map.entry("PROXYGATE_POOL_DIR", "paths.pool_dir"),
            Map.entry("PROXYGATE_ROUTING_PRIORITY", "routing.priority"),
            Map.entry("PROXYGATE_LOG_LEVEL", "log.level"),
            Map.entry("PROXYGATE_CHATGPT_BASE_URL", "upstream.chatgpt_responses_url"),
            Map.entry("PROXYGATE_CHATGPT_USAGE_URL", "upstream.chatgpt_usage_url"),
            Map.entry("PROXYGATE_CLAUDE_USAGE_URL", "upstream.claude_usage_url"),
            Map.entry("PROXYGATE_OPENAI_BASE_URL", "upstream.openai_responses_url"),
            Map.entry("PROXYGATE_ANTHROPIC_BASE_URL", "upstream.anthropic_messages_url"),
            Map.entry("PROXYGATE_CHAT_BASE_URL", "upstream.chat_completions_url"));

    /** Vertex settings take the first non-blank variable of each chain (ours first, then the usual ones). */
    private static final Map<String, List<String>> VERTEX_ENV = Map.of(
            "vertex.project_id", List.of("PROXYGATE_VERTEX_PROJECT_ID", "ANTHROPIC_VERTEX_PROJECT_ID",
                    "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT"),
            "vertex.location", List.of("PROXYGATE_VERTEX_LOCATION", "VERTEX_LOCATION", "CLOUD_ML_REGION",
                    "GOOGLE_CLOUD_LOCATION"),
            "vertex.credentials_file", List.of("PROXYGATE_VERTEX_CREDENTIALS_FILE", "GOOGLE_APPLICATION_CREDENTIALS"));

    /** Keys that take a list: a TOML array, or a comma-separated string (as their environment variable). */
    private static final java.util.Set<String> LIST_KEYS = java.util.Set.of("server.allowed_hosts",
            "server.allowed_origins");

    private static void key(String table, String name, BiConsumer<ProxyGateConfiguration, String> apply) {
        KEYS.put(table + "." + name, new Key(table, name, apply));
    }

    /** Reads a key's text; {@code key} is its {@code [table] name} form, which a bad value's one-line error names. */
    private interface Parser<T> {
        T parse(String key, String text);
    }

    /** A key whose text {@code parser} reads before {@code set} stores the value. */
    private static <T> void key(String table, String name, Parser<T> parser,
                                BiConsumer<ProxyGateConfiguration, T> set) {
        String qualified = qualified(table, name);
        key(table, name, (c, v) -> set.accept(c, parser.parse(qualified, v)));
    }

    private static String qualified(String table, String name) {
        return "[" + table + "] " + name;
    }

    private static Parser<Long> integerAtLeast(long min) {
        return (key, text) -> Values.integer(key, text, min);
    }

    private static Parser<Long> integerBetween(long min, long max) {
        return (key, text) -> Values.integer(key, text, min, max);
    }

    /** A comma-separated list (a list key's environment variable form), trimmed, without empty items. */
    private static List<String> commaList(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    static {
        key("server", "addr", (c, v) -> c.server.addr = Values.address("[server] addr",
                orDefault(c, "[server] addr", v, "127.0.0.1:19527")));
        key("server", "admin_token", (c, v) -> c.server.adminToken = v.trim());
        key("server", "proxy_token", (c, v) -> c.server.proxyToken = v.trim());
        key("server", "public_base_url", Values::url, (c, v) -> c.server.publicBaseUrl = v);
        key("server", "accept_claude_oauth_clients", Values::bool, (c, v) -> c.server.acceptClaudeOauthClients = v);
        key("server", "allowed_hosts", (c, v) -> c.server.allowedHosts = commaList(v));
        key("server", "allowed_origins", (c, v) -> c.server.allowedOrigins = commaList(v));
        key("server", "max_body_bytes", integerAtLeast(1024), (c, v) -> c.server.maxBodyBytes = v);
        key("server", "shutdown_grace", Values::duration, (c, v) -> c.server.shutdownGrace = v);
        key("paths", "data_dir", (c, v) -> c.paths.dataDir = path("[paths] data_dir",
                orDefault(c, "[paths] data_dir", v, "./data")));
        key("paths", "pool_dir", (c, v) -> c.paths.poolDir = path("[paths] pool_dir",
                orDefault(c, "[paths] pool_dir", v, "./pool")));
        key("translate", "enabled", Values::bool, (c, v) -> c.translate.enabled = v);
        key("translate", "fallback_on_exhaustion", Values::bool, (c, v) -> c.translate.fallbackOnExhaustion = v);
        key("routing", "priority", (c, v) -> c.routing.priority = RoutingPriority.parse(
                        orDefault(c, "[routing] priority", v, "account-first"))
                .orElseThrow(() -> Values.bad("[routing] priority", v, "\"account-first\" or \"apikey-first\"")));
        // 0 means unset: ignoring weekly headroom is never intended.
        key("routing", "drain_multiplier", Values::nonNegative, (c, v) -> c.routing.drainMultiplier = v == 0 ? 1.0 : v);
        key("routing", "primary_bonus", Values::nonNegative, (c, v) -> c.routing.primaryBonus = v);
        key("routing", "max_attempts", integerBetween(1, 20), (c, v) -> c.routing.maxAttempts = v.intValue());
        key("routing", "move_pinned_on_rate_limit", Values::bool, (c, v) -> c.routing.movePinnedOnRateLimit = v);
        key("routing", "queue_timeout", Values::duration, (c, v) -> c.routing.queueTimeout = v);
        key("routing", "sticky_max_ttft", Values::duration, (c, v) -> c.routing.stickyMaxTtft = v);
        key("routing", "sticky_max_error_rate", Values::fraction, (c, v) -> c.routing.stickyMaxErrorRate = v);
        key("broker", "primary_used_pct_max", Values::fraction, (c, v) -> c.broker.primaryUsedPctMax = v);
        key("broker", "secondary_used_pct_max", Values::fraction, (c, v) -> c.broker.secondaryUsedPctMax = v);
        key("broker", "pin_ttl", (c, v) -> c.broker.pinTtl = positiveOrDefault(c, "[broker] pin_ttl", v,
                Duration.ofHours(1), "1h"));
        key("wham", "poll_interval", (c, v) -> c.wham.pollInterval = positiveOrDefault(c, "[wham] poll_interval", v,
                Duration.ofMinutes(5), "5m"));
        key("vertex", "project_id", (c, v) -> c.vertex.projectId = v.trim());
        key("vertex", "location", (c, v) -> c.vertex.location = v.trim());
        key("vertex", "credentials_file", (c, v) -> c.vertex.credentialsFile = v.trim());
        key("vertex", "base_url", Values::url, (c, v) -> c.vertex.baseUrl = v);
        key("log", "level", ConfigLoader::logLevel);
        key("admin", "addr", Values::address, (c, v) -> c.admin.addr = v);
        key("upstream", "chatgpt_base_url", ConfigLoader::requiredUrl, (c, v) -> c.upstream.chatgptBaseUrl = v);
        key("upstream", "openai_base_url", ConfigLoader::requiredUrl, (c, v) -> c.upstream.openaiBaseUrl = v);
        key("upstream", "anthropic_base_url", ConfigLoader::requiredUrl, (c, v) -> c.upstream.anthropicBaseUrl = v);
        key("upstream", "anthropic_api_base_url", ConfigLoader::requiredUrl,
                (c, v) -> c.upstream.anthropicApiBaseUrl = v);
        key("upstream", "chatgpt_responses_url", Values::url, (c, v) -> c.upstream.chatgptResponsesUrl = v);
        key("upstream", "chatgpt_usage_url", Values::url, (c, v) -> c.upstream.chatgptUsageUrl = v);
        key("upstream", "claude_usage_url", Values::url, (c, v) -> c.upstream.claudeUsageUrl = v);
        key("upstream", "openai_responses_url", Values::url, (c, v) -> c.upstream.openaiResponsesUrl = v);
        key("upstream", "chat_completions_url", Values::url, (c, v) -> c.upstream.chatCompletionsUrl = v);
        key("upstream", "anthropic_messages_url", Values::url, (c, v) -> c.upstream.anthropicMessagesUrl = v);
        key("upstream", "connect_timeout", Values::duration, (c, v) -> c.upstream.connectTimeout = v);
        key("upstream", "response_timeout", Values::duration, (c, v) -> c.upstream.responseTimeout = v);
        key("upstream", "idle_timeout", Values::duration, (c, v) -> c.upstream.idleTimeout = v);
        key("upstream", "attempt_deadline", Values::duration, (c, v) -> c.upstream.attemptDeadline = v);
        key("upstream", "max_stream_duration", Values::duration, (c, v) -> c.upstream.maxStreamDuration = v);
        key("upstream", "keepalive_interval", Values::duration, (c, v) -> c.upstream.keepaliveInterval = v);
        key("upstream", "claude_code_mimicry", Values::bool, (c, v) -> c.upstream.claudeCodeMimicry = v);
        key("upstream", "proxy", (c, v) -> {
            if (v.isBlank()) {
                c.upstream.proxy = "";
                return;
            }
            try {
                io.proxygate.domain.credential.OutboundProxy.parse(v);
            } catch (IllegalArgumentException e) {
                // The message names the problem only: the value may carry a proxy password.
                throw new ConfigException("[upstream] proxy: " + e.getMessage());
            }
            c.upstream.proxy = v.trim();
        });
        key("upstream", "max_connections_per_route", integerAtLeast(1),
                (c, v) -> c.upstream.maxConnectionsPerRoute = v.intValue());
        key("oauth", "openai_issuer", ConfigLoader::requiredUrl, (c, v) -> c.oauth.openaiIssuer = v);
        key("oauth", "claude_authorize_url", ConfigLoader::requiredUrl, (c, v) -> c.oauth.claudeAuthorizeUrl = v);
        key("oauth", "anthropic_token_url", ConfigLoader::requiredUrl, (c, v) -> c.oauth.anthropicTokenUrl = v);
        key("oauth", "refresh_skew", Values::duration, (c, v) -> c.oauth.refreshSkew = v);
        key("pricing", "source", (c, v) -> c.pricing.source = v.trim());
        key("pricing", "refresh_interval", Values::duration, (c, v) -> c.pricing.refreshInterval = v);
        key("usage", "retention", Values::duration, (c, v) -> c.usage.retention = v);
        key("usage", "account_daily_budget_usd", Values::money, (c, v) -> c.usage.accountDailyBudgetUsd = v);
        key("usage", "key_daily_budget_usd", Values::money, (c, v) -> c.usage.keyDailyBudgetUsd = v);
        key("database", "url", (c, v) -> c.database.url = databaseUrl(v));
        key("database", "user", (c, v) -> c.database.user = v.trim());
        key("database", "password", (c, v) -> c.database.password = v);
        key("database", "sync_interval", Values::duration,
                (c, v) -> c.database.syncInterval = positiveOr(v, Duration.ofSeconds(3)));
        key("database", "max_connections", integerBetween(1, 200), (c, v) -> c.database.maxConnections = v.intValue());
    }

    /**
     * Loads {@code file} (a missing file means all defaults) and applies {@code env}.
     *
     * @throws ConfigException with one line naming the bad key
     */
    public ProxyGateConfiguration load(Path file, Map<String, String> env) {
        ProxyGateConfiguration config = new ProxyGateConfiguration();
        if (Files.isRegularFile(file)) {
            applyToml(config, file);
            config.sourceFile = Optional.of(file.toAbsolutePath().normalize());
        } else if (Files.exists(file)) {
            throw new ConfigException("config file " + file + " is not a regular file");
        }
        applyEnv(config, env);
        applyGcloudDefaults(config, env);
        config.upstream.proxyEnvironment = proxyEnvironment(env);
        config.applyToDropwizard();
        return config;
    }

    /** The curl-style proxy variables, read only when neither a credential nor {@code [upstream] proxy} names one. */
    private static Map<String, String> proxyEnvironment(Map<String, String> env) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String name : List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                out.put(name, value);
            }
        }
        return Map.copyOf(out);
    }

    private static final Set<String> RULE_KEYS = Set.of("name", "status", "body_contains", "body_regex", "model",
            "action", "for");

    /**
     * {@code [translate.models]}: a table of requested-model globs (quoted keys) to served models, kept in file order
     * because the first matching glob decides.
     */
    private static List<io.proxygate.domain.translate.TranslationPolicy.ModelMapping> translateModels(Object value) {
        if (!(value instanceof TomlTable table)) {
            throw new ConfigException("[translate.models] must be a table of \"requested-model-glob\" = \"served-model\"");
        }
        List<io.proxygate.domain.translate.TranslationPolicy.ModelMapping> mappings = new ArrayList<>();
        for (Map.Entry<String, Object> e : table.entrySet()) {
            if (!(e.getValue() instanceof String served) || served.isBlank() || e.getKey().isBlank()) {
                throw Values.bad("[translate.models] \"" + e.getKey() + "\"", String.valueOf(e.getValue()),
                        "a model name (a non-empty string)");
            }
            mappings.add(new io.proxygate.domain.translate.TranslationPolicy.ModelMapping(e.getKey(), served.trim()));
        }
        return List.copyOf(mappings);
    }

    /** {@code [[routing.error_rules]]}: an array of tables, each checked here so a bad rule stops the start. */
    private static List<io.proxygate.domain.routing.ErrorRule> errorRules(Object value) {
        if (!(value instanceof org.tomlj.TomlArray array)) {
            throw new ConfigException("[[routing.error_rules]] must be an array of tables");
        }
        List<io.proxygate.domain.routing.ErrorRule> rules = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = "[[routing.error_rules]] #" + (i + 1);
            if (!(array.get(i) instanceof TomlTable t)) {
                throw new ConfigException(where + " must be a table");
            }
            for (String k : t.keySet()) {
                if (!RULE_KEYS.contains(k)) {
                    throw new ConfigException(where + ": unknown key \"" + k + "\" (known: " + String.join(", ",
                            new java.util.TreeSet<>(RULE_KEYS)) + ")");
                }
            }
            try {
                Object status = t.get("status");
                if (!(status instanceof Long n)) {
                    throw new IllegalArgumentException("status is required, a number such as 400");
                }
                Object action = t.get("action");
                if (!(action instanceof String a)) {
                    throw new IllegalArgumentException("action is required (cooldown, failover, relay or disable)");
                }
                java.time.Duration cooldown = t.get("for") == null ? java.time.Duration.ZERO
                        : Values.duration(where + " for", String.valueOf(t.get("for")));
                rules.add(new io.proxygate.domain.routing.ErrorRule(
                        t.get("name") == null ? null : String.valueOf(t.get("name")), Math.toIntExact(n),
                        Optional.ofNullable(t.getString("body_contains")),
                        Optional.ofNullable(t.getString("body_regex"))
                                .map(io.proxygate.domain.routing.ErrorRule::boundedPattern),
                        Optional.ofNullable(t.getString("model")),
                        io.proxygate.domain.routing.ErrorRule.action(a), cooldown));
            } catch (IllegalArgumentException | ArithmeticException | org.tomlj.TomlInvalidTypeException e) {
                throw new ConfigException(where + ": " + e.getMessage());
            }
        }
        return List.copyOf(rules);
    }

    /** Every key, qualified as {@code table.key}; used by {@code config.toml.example} tests. */
    public static Set<String> knownKeys() {
        return KEYS.keySet();
    }

    private static void applyToml(ProxyGateConfiguration config, Path file) {
        TomlParseResult toml;
        try {
            toml = Toml.parse(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        if (toml.hasErrors()) {
            var error = toml.errors().get(0);
            throw new ConfigException("invalid TOML in " + file + " at line " + error.position().line() + ": "
                    + error.getMessage());
        }
        for (String table : toml.keySet()) {
            Object section = toml.get(List.of(table));
            if (!(section instanceof TomlTable tomlTable)) {
                config.warnings.add("unknown config key \"" + table + "\" in " + file
                        + " (ignored): settings live in tables such as [server] or [paths]"
                        + suggestion(null, table));
                continue;
            }
            for (String name : tomlTable.keySet()) {
                if (table.equals("translate") && name.equals("models")) {
                    config.translate.models = translateModels(tomlTable.get(List.of(name)));
                    continue;
                }
                if (table.equals("routing") && name.equals("error_rules")) {
                    config.routing.errorRules = errorRules(tomlTable.get(List.of(name)));
                    continue;
                }
                Key key = KEYS.get(table + "." + name);
                if (key == null) {
                    config.warnings.add("unknown config key [" + table + "] " + name + " in " + file + " (ignored)"
                            + suggestion(table, name));
                    continue;
                }
                Object value = tomlTable.get(List.of(name));
                if (value instanceof org.tomlj.TomlArray array && LIST_KEYS.contains(table + "." + name)) {
                    // A list of strings, read like the comma-separated form its environment variable takes.
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < array.size(); i++) {
                        items.add(String.valueOf(array.get(i)));
                    }
                    key.apply().accept(config, String.join(",", items));
                    continue;
                }
                if (value instanceof TomlTable || value instanceof org.tomlj.TomlArray) {
                    throw Values.bad(key.qualified(), String.valueOf(value), "a single value");
                }
                key.apply().accept(config, String.valueOf(value));
                if (key.qualified().equals("[server] admin_token")) {
                    config.server.adminTokenSource = "[server] admin_token in " + file.toAbsolutePath().normalize();
                }
            }
        }
    }

    /**
     * "; did you mean [table] key?" for the nearest known key: a misspelt name in a known table
     * ({@code [server] proxy_tokn}), a misspelt table ({@code [servre] addr}), or the same name in another table
     * ({@code [server] pool_dir}); empty when nothing is near. {@code table} is null for a key outside any table.
     */
    private static String suggestion(String table, String name) {
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        KEYS.values().forEach(k -> byTable.computeIfAbsent(k.table(), t -> new ArrayList<>()).add(k.name()));
        Optional<String> near = Optional.empty();
        if (table != null) {
            String knownTable = byTable.containsKey(table) ? table
                    : KeySuggestions.nearest(table, byTable.keySet()).orElse(null);
            if (knownTable != null) {
                near = KeySuggestions.nearest(name, byTable.get(knownTable)).map(n -> knownTable + "." + n);
            }
        }
        if (near.isEmpty()) {
            near = KEYS.values().stream().filter(k -> k.name().equals(name)).findFirst()
                    .map(k -> k.table() + "." + k.name());
        }
        return near.map(k -> "; did you mean " + KEYS.get(k).qualified() + "?").orElse("");
    }

    private static void applyEnv(ProxyGateConfiguration config, Map<String, String> env) {
        List<String> applied = new ArrayList<>();
        for (Key key : KEYS.values()) {
            String value = env.get(key.envName());
            if (value != null && !value.isBlank()) {
                key.apply().accept(config, value);
                applied.add(key.table() + "." + key.name());
                if (key.qualified().equals("[server] admin_token")) {
                    config.server.adminTokenSource = key.envName();
                }
            }
        }
        for (Map.Entry<String, String> e : ORIGINAL_ENV.entrySet()) {
            String value = env.get(e.getKey());
            if (value != null && !value.isBlank() && !applied.contains(e.getValue())) {
                KEYS.get(e.getValue()).apply().accept(config, value);
                if (e.getValue().equals("server.admin_token")) {
                    config.server.adminTokenSource = e.getKey();
                }
            }
        }
        for (Map.Entry<String, List<String>> chain : VERTEX_ENV.entrySet()) {
            if (applied.contains(chain.getKey())) {
                continue;
            }
            chain.getValue().stream().map(env::get).filter(v -> v != null && !v.isBlank()).findFirst()
                    .ifPresent(v -> KEYS.get(chain.getKey()).apply().accept(config, v));
        }
    }

    /**
     * A Vertex project or location that neither the file nor the environment gives comes from gcloud's active
     * configuration, as {@code gcloud config get-value} would report it (read from its files, gcloud is not run).
     */
    private static void applyGcloudDefaults(ProxyGateConfiguration config, Map<String, String> env) {
        if (!config.vertex.projectId.isBlank() && !config.vertex.location.isBlank()) {
            return;
        }
        GcloudConfig gcloud = GcloudConfig.read(env);
        if (config.vertex.projectId.isBlank()) {
            gcloud.project().ifPresent(p -> KEYS.get("vertex.project_id").apply().accept(config, p));
        }
        if (config.vertex.location.isBlank()) {
            gcloud.region().ifPresent(r -> KEYS.get("vertex.location").apply().accept(config, r));
        }
    }

    /**
     * {@code text}, or {@code fallback} with a warning when it is blank: these keys have no meaningful empty value,
     * and configs in the wild leave them empty to mean "the default".
     */
    private static String orDefault(ProxyGateConfiguration config, String key, String text, String fallback) {
        if (!text.isBlank()) {
            return text;
        }
        config.warnings.add(key + " is empty: using the default \"" + fallback + "\"");
        return fallback;
    }

    /**
     * A duration that must be positive: zero or a negative duration ({@code "-5m"}) means the default, with a
     * warning, since neither a pin that expires at once nor a poll loop without pause is ever intended.
     */
    private static Duration positiveOrDefault(ProxyGateConfiguration config, String key, String text,
                                              Duration fallback, String fallbackText) {
        Duration d = Values.signedDuration(key, text);
        if (d.isZero() || d.isNegative()) {
            config.warnings.add(key + " = \"" + text.trim() + "\" is not positive: using the default \""
                    + fallbackText + "\"");
            return fallback;
        }
        return d;
    }

    private static java.time.Duration positiveOr(java.time.Duration d, java.time.Duration fallback) {
        return d.isZero() || d.isNegative() ? fallback : d;
    }

    private static String requiredUrl(String key, String v) {
        String url = Values.url(key, v);
        if (url.isEmpty()) {
            throw Values.bad(key, v, "an http:// or https:// URL");
        }
        return url;
    }

    private static Path path(String key, String v) {
        if (v.isBlank()) {
            throw Values.bad(key, v, "a directory path");
        }
        if (v.indexOf('\0') >= 0) {
            throw Values.bad(key, v.replace("\0", "\\0"), "a directory path without NUL characters");
        }
        return Path.of(v.trim());
    }

    /** SQLite or PostgreSQL; the error never echoes the URL's query string, which may hold a password. */
    private static String databaseUrl(String v) {
        String url = v.trim();
        if (url.isEmpty() || url.startsWith("jdbc:sqlite:") || url.startsWith("jdbc:postgresql://")) {
            return url;
        }
        int q = url.indexOf('?');
        throw Values.bad("[database] url", q < 0 ? url : url.substring(0, q) + "?...",
                "jdbc:postgresql://host:port/db or jdbc:sqlite:path (blank: <data_dir>/proxygate.db)");
    }

    private static final List<String> LOG_LEVELS = List.of("debug", "info", "warn", "error", "trace");

    /** An unknown level keeps {@code info} with a warning, so a typo never stops the server from starting. */
    private static void logLevel(ProxyGateConfiguration config, String v) {
        String level = v.trim().toLowerCase(Locale.ROOT);
        if (level.equals("warning")) {
            level = "warn";
        }
        if (LOG_LEVELS.contains(level)) {
            config.log.level = level;
            return;
        }
        config.warnings.add("[log] level \"" + v + "\" is not one of debug, info, warn, error: logging at info"
                + KeySuggestions.nearest(level, LOG_LEVELS).map(l -> "; did you mean \"" + l + "\"?").orElse(""));
        config.log.level = "info";
    }

    /** A duration ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 0}) given on the command line as {@code flag}. */
    public static Duration flagDuration(String flag, String text) {
        return Values.duration(flag, text);
    }
}
