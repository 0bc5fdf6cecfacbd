package io.proxygate.bootstrap;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.Managed;
import io.proxygate.adapter.in.http.BrowserGuard;
import io.proxygate.adapter.in.http.ClientAuth;
import io.proxygate.adapter.in.http.HealthResource;
import io.proxygate.adapter.in.http.ApiApplication;
import io.proxygate.adapter.in.http.ApiResource;
import io.proxygate.adapter.in.http.ApiRoutes;
import io.proxygate.adapter.in.http.ApiServlet;
import io.proxygate.adapter.out.persistence.bolt.GoDatabaseImport;
import io.proxygate.adapter.out.persistence.pool.PoolDirectoryStore;
import io.proxygate.adapter.out.persistence.sql.Databases;
import io.proxygate.adapter.out.persistence.sql.PostgresRefreshLock;
import io.proxygate.adapter.out.persistence.sql.SqlConversationPins;
import io.proxygate.adapter.out.persistence.sql.SqlDialect;
import io.proxygate.adapter.out.persistence.sql.SqlCredentialState;
import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import io.proxygate.adapter.out.persistence.sql.SqlRequestLog;
import io.proxygate.adapter.out.persistence.sql.SqlUsageStats;
import io.proxygate.adapter.out.persistence.sql.SqlRequestLogRetention;
import io.proxygate.adapter.out.upstream.HttpUpstreamAdapter;
import io.proxygate.adapter.out.upstream.UpstreamSettings;
import io.proxygate.adapter.out.upstream.oauth.HttpOAuthClient;
import io.proxygate.adapter.out.upstream.proxy.DefaultProxy;
import io.proxygate.adapter.out.upstream.proxy.ProxySelection;
import io.proxygate.adapter.out.persistence.login.JsonPendingLoginStore;
import io.proxygate.adapter.out.upstream.oauth.LoopbackCallbackServer;
import io.proxygate.adapter.out.upstream.oauth.OAuthSettings;
import io.proxygate.adapter.out.upstream.pricing.FilePriceCache;
import io.proxygate.adapter.out.upstream.pricing.LiteLlmPriceLoader;
import io.proxygate.adapter.out.upstream.pricing.LiteLlmPriceSource;
import io.proxygate.adapter.out.upstream.usage.HttpUsagePollClient;
import io.proxygate.adapter.out.upstream.usage.UsageEndpoints;
import io.proxygate.application.port.out.BrowserPort;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.auth.LoginSettings;
import io.proxygate.application.auth.TokenRefreshService;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.application.port.out.PriceSourcePort;
import io.proxygate.application.port.out.RefreshLockPort;
import io.proxygate.application.proxy.Pause;
import io.proxygate.application.proxy.ProxyService;
import io.proxygate.application.proxy.ProxySettings;
import io.proxygate.application.routing.RoutingService;
import io.proxygate.application.routing.RoutingSettings;
import io.proxygate.application.usage.DailyBudgets;
import io.proxygate.application.usage.PricingService;
import io.proxygate.application.usage.UsageRetentionService;
import io.proxygate.application.usage.UsagePollService;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.health.PoolHealthCheck;
import io.proxygate.bootstrap.logging.SecretMasking;
import io.proxygate.bootstrap.metrics.ClientKeyMetrics;
import io.proxygate.bootstrap.metrics.MeteredRequestLog;
import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.adapter.out.persistence.sql.SqlClientKeyStore;
import io.proxygate.bootstrap.metrics.PoolGauges;
import io.proxygate.bootstrap.metrics.PrometheusEndpoint;
import io.proxygate.bootstrap.metrics.RequestLogMetrics;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Secret;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds every service of a running server by hand, in dependency order, and registers resources, health checks
 * and lifecycles with Dropwizard. The one place that knows concrete adapter classes.
 */
public final class Wiring {
    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);
    /** How long a stopping server waits for token refreshes under way (a refresh call times out after 30 s). */
    private static final Duration REFRESH_SHUTDOWN_WAIT = Duration.ofSeconds(35);
    /** How long shutdown waits for the rows of the requests it cut. */
    static final Duration SHUTDOWN_ROW_WAIT = Duration.ofSeconds(5);
    private final AdminTokens.AdminToken adminToken;
    private final CredentialPool pool;
    private final RoutingService router;
    private final SqlRequestLog requestLog;
    private final PricingService pricing;
    private ProxyService proxy;

    private Wiring(AdminTokens.AdminToken adminToken, CredentialPool pool, RoutingService router,
                   SqlRequestLog requestLog, PricingService pricing) {
        this.adminToken = adminToken;
        this.pool = pool;
        this.router = router;
        this.requestLog = requestLog;
        this.pricing = pricing;
    }

    public AdminTokens.AdminToken adminToken() {
        return adminToken;
    }

    public CredentialPool pool() {
        return pool;
    }

    public RoutingService router() {
        return router;
    }

    public SqlRequestLog requestLog() {
        return requestLog;
    }

    public ProxyService proxy() {
        return proxy;
    }

    static Wiring build(ProxyGateConfiguration config, Environment environment) throws IOException {
        InstantSource clock = InstantSource.system();
        Path dataDir = config.paths.dataDir;
        createPrivateDirectory(dataDir);
        if (!Files.isDirectory(config.paths.poolDir)) {
            // Created owner-only here, where failing to create it stops start-up; the pool store tightens (and
            // reports) an existing one that is open to others.
            io.proxygate.adapter.out.persistence.pool.AtomicFiles.ensureDirectory(config.paths.poolDir);
        }
        AdminTokens.AdminToken adminToken = AdminTokens.resolve(config);
        SecretMasking.addConfiguredSecret(adminToken.value());
        ProxyTokens.ensure(config).ifPresent(file -> org.slf4j.LoggerFactory.getLogger(Wiring.class).warn(
                "listening on {} with no [server] proxy_token: clients must send the generated token kept in {}",
                config.server.addr, file.toAbsolutePath()));

        String databaseUrl = config.database.jdbcUrl(dataDir);
        SqlDialect dialect = SqlDialect.of(databaseUrl);
        if (dialect == SqlDialect.SQLITE) {
            importGoDatabase(config, databaseUrl, clock).ifPresent(LOG::info);
        }
        Jdbi jdbi = database(config, databaseUrl, dialect, environment);

        SecretMasking.addConfiguredSecret(config.server.proxyToken);
        // Admin tasks change the running server (log levels above all): they take the admin token.
        environment.admin().addFilter("admin-tasks-token", new AdminTasksGuard(
                        Optional.ofNullable(adminToken.value()).filter(v -> !v.isBlank()).map(Secret::of)))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false,
                        "/tasks/*");
        // Replaces Dropwizard's log-level task (same name): DEBUG and TRACE only for ProxyGate's own loggers.
        environment.admin().addTask(new io.proxygate.bootstrap.logging.LogLevelTask());

        PoolDirectoryStore poolStore = new PoolDirectoryStore(config.paths.poolDir, clock);
        poolStore.removeStaleTempFiles();
        CredentialPool pool = new CredentialPool(poolStore);
        // The pool's tokens are masked verbatim in every log line, whatever logger prints them.
        pool.addListener(change -> SecretMasking.setPoolSecrets(poolSecrets(pool)));
        pool.reload();
        SecretMasking.setPoolSecrets(poolSecrets(pool));
        environment.lifecycle().manage(new Managed() {
            private AutoCloseable watch;

            @Override
            public void start() {
                watch = poolStore.watch(pool::reload);
            }

            @Override
            public void stop() throws Exception {
                watch.close();
            }
        });

        SqlCredentialState routingState = new SqlCredentialState(jdbi, clock);
        RoutingService router = dialect.shared()
                ? new RoutingService(pool, routingState, new SqlConversationPins(jdbi), routingSettings(config), clock)
                : RoutingService.persistingPins(pool, routingState, new SqlConversationPins(jdbi),
                        routingSettings(config), clock);
        environment.lifecycle().manage(dialect.shared()
                ? SharedStateSync.shared(router, config.database.syncInterval)
                : SharedStateSync.persistingPins(router));

        PriceSourcePort priceSource = priceSource(config.pricing.source);
        PricingService pricing = new PricingService(priceSource, new FilePriceCache(dataDir),
                LiteLlmPriceLoader::builtIn, clock);
        pricing.warmUpInBackground();
        boolean fetchPrices = !priceSource.location().equals("builtin");
        environment.lifecycle().manage(managed(fetchPrices ? pricing::start : () -> { }, pricing::close));

        ProxySelection proxies = proxySelection(config, pool);
        HttpOAuthClient oauthClient = new HttpOAuthClient(new OAuthSettings(URI.create(config.oauth.openaiIssuer),
                URI.create(config.oauth.claudeAuthorizeUrl), URI.create(config.oauth.anthropicTokenUrl),
                URI.create(config.upstream.anthropicApiBaseUrl), Duration.ofSeconds(30)), proxies);
        environment.lifecycle().manage(managed(() -> { }, oauthClient::close));
        RefreshLockPort refreshLock = dialect.shared() ? new PostgresRefreshLock(jdbi) : RefreshLockPort.IN_PROCESS;
        TokenRefreshService tokens = new TokenRefreshService(pool, oauthClient, config.oauth.refreshSkew,
                TokenRefreshService.DEFAULT_RETRY_BACKOFF, refreshLock, clock);
        // Stopped before the OAuth client: a refresh the provider has answered gets its rotated tokens saved.
        environment.lifecycle().manage(managed(() -> { }, () -> tokens.awaitRefreshes(REFRESH_SHUTDOWN_WAIT)));

        HttpUpstreamAdapter upstream = new HttpUpstreamAdapter(upstreamSettings(config), clock, proxies);
        environment.lifecycle().manage(managed(() -> { }, upstream::close));
        // The upstream connection pool: leased (in use), available (idle, kept), pending (waiting for a connection).
        environment.metrics().register("proxygate.upstream.pool.leased",
                (com.codahale.metrics.Gauge<Integer>) () -> upstream.poolStats().leased());
        environment.metrics().register("proxygate.upstream.pool.available",
                (com.codahale.metrics.Gauge<Integer>) () -> upstream.poolStats().available());
        environment.metrics().register("proxygate.upstream.pool.pending",
                (com.codahale.metrics.Gauge<Integer>) () -> upstream.poolStats().pending());
        environment.metrics().register("proxygate.upstream.pool.max",
                (com.codahale.metrics.Gauge<Integer>) () -> upstream.poolStats().max());

        SqlRequestLog requestLog = new SqlRequestLog(jdbi, dialect.shared() ? "the shared database"
                : dataDir.toAbsolutePath().normalize().toString());
        RequestLogMetrics.register(environment, requestLog);
        // Usage reads include the rows the log has not committed yet: a finished request counts at once.
        SqlUsageStats usageStats = new SqlUsageStats(jdbi, requestLog.unwritten());
        environment.lifecycle().manage(managed(() -> { }, requestLog::close));
        UsageRetentionService retention = new UsageRetentionService(new SqlRequestLogRetention(jdbi),
                config.usage.retention, clock, java.time.ZoneId.systemDefault());
        environment.lifecycle().manage(managed(retention::start, retention::close));

        UsagePollService poller = new UsagePollService(pool, router, tokens, new HttpUsagePollClient(
                UsageEndpoints.of(chatgptBase(config.upstream), config.upstream.anthropicApiBaseUrl,
                        optional(config.upstream.chatgptUsageUrl), optional(config.upstream.claudeUsageUrl)), clock,
                proxies).reportModelWindows((account, family, until) -> router.onModelRateLimited(account, family,
                        until.map(t -> Duration.between(clock.instant(), t)).filter(d -> !d.isNegative())
                                .orElse(Duration.ofHours(1)))),
                clock, UsagePollService.Settings.every(config.wham.pollInterval));
        environment.lifecycle().manage(managed(poller::start, poller::close));

        PoolGauges.register(environment.metrics(), pool, router, clock);
        PrometheusEndpoint.register(environment, environment.metrics());
        ClientKeyService clientKeys = new ClientKeyService(new SqlClientKeyStore(jdbi, requestLog.unwritten()), pricing, clock,
                java.time.ZoneId.systemDefault(), new SecureRandom(), dialect.shared());
        // Keys come and go from the CLI and other instances: read them again every sync interval (and, when the
        // database is shared, everyone's spend with them).
        environment.lifecycle().manage(new PeriodicTasks("client-key-sync").every(config.database.syncInterval,
                config.database.syncInterval, "read client keys", clientKeys::sync));
        RequestLogPort attributed = new ClientKeyMetrics(new MeteredRequestLog(requestLog, environment.metrics(),
                model -> pricing.lookup(model).isPresent()), environment.metrics());
        // Translation plans are carried out in front of the upstream adapter; untranslated requests pass unchanged.
        ProxyService proxy = new ProxyService(pool, router,
                new io.proxygate.adapter.out.upstream.translate.TranslatingUpstream(upstream), tokens, new RequestLogPort() {
            @Override
            public void append(io.proxygate.application.usage.RequestRecord record) {
                attributed.append(record);
                clientKeys.recorded(record);
            }

            @Override
            public java.util.List<io.proxygate.application.usage.RequestRecord> recent(int limit) {
                return attributed.recent(limit);
            }
        }, pricing,
                new ProxySettings(config.routing.maxAttempts, Duration.ofSeconds(10),
                        config.routing.movePinnedOnRateLimit, 64 * 1024, config.upstream.effectiveAttemptDeadline(),
                        config.upstream.maxStreamDuration),
                clock, Pause.REAL, Wiring::requestId,
                VertexWiring.build(config, environment, jdbi, upstream, clock));
        proxy.keepAliveEvery(config.upstream.keepaliveInterval);
        // Stopped before the request log (lifecycles stop in reverse order): requests still running are ended and
        // their rows written while the log still takes them.
        environment.lifecycle().manage(managed(() -> { }, () -> proxy.cutInProgress(SHUTDOWN_ROW_WAIT)));
        DailyBudgets budgets = new DailyBudgets(config.usage.accountDailyBudgetUsd, config.usage.keyDailyBudgetUsd,
                usageStats, clock, java.time.ZoneId.systemDefault());
        if (budgets.active()) {
            proxy.limitSpend(budgets);
        }
        proxy.queueWhenBusy(config.routing.queueTimeout);
        proxy.errorRules(config.routing.errorRules);
        proxy.translate(config.translate.policy());

        ClientAuth auth = new ClientAuth(optional(config.server.proxyToken).map(Secret::of),
                config.server.listensOnLoopback(), config.server.acceptClaudeOauthClients,
                () -> pool.snapshot().credentials().stream().filter(c -> c instanceof ClaudeAccount && !c.disabled())
                        .map(c -> ((ClaudeAccount) c).tokens().accessToken()).toList(), Optional.of(clientKeys));
        // Before every servlet, Jersey's included: wrong Host names, cross-site browsers and non-JSON API posts.
        environment.servlets().addFilter("browser-guard", new BrowserGuard(BrowserGuard.HostPolicy.of(
                        config.server.addr.host(), optional(config.server.publicBaseUrl).map(URI::create),
                        config.server.allowedHosts, config.server.allowedOrigins), ApiRoutes.jsonPostPaths()))
                .addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false, "/*");
        // The API routes have a lean Jersey application of their own: its exact and prefix mappings win over the
        // admin application's "/*", so admin providers, validation and metrics stay off the relay's hot path.
        // One timer sweeps the clients waiting for an upstream, probing those that have waited a period.
        java.util.concurrent.ScheduledThreadPoolExecutor watchTimer = new java.util.concurrent.ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("client-watch").daemon(true).factory());
        environment.lifecycle().manage(managed(() -> { }, watchTimer::shutdownNow));
        ApiResource api = new ApiResource(proxy, auth, config.server.maxBodyBytes,
                new JettyDisconnectWatch(watchTimer, 250));
        jakarta.servlet.ServletRegistration.Dynamic apiServlet =
                environment.servlets().addServlet("api", new ApiServlet(new ApiApplication(api)));
        apiServlet.addMapping(ApiRoutes.mappings().toArray(String[]::new));
        apiServlet.setLoadOnStartup(1);
        environment.jersey().register(new HealthResource(pool, Version.current(),
                RequestLogMetrics.health(requestLog), config.paths.poolDir));

        environment.healthChecks().register("pool", new PoolHealthCheck(pool::snapshot));
        AdminWiring.register(environment, config, adminToken, pool, router, usageStats, pricing, poller, tokens,
                new LoginService(pool, oauthClient, new JsonPendingLoginStore(dataDir), new LoopbackCallbackServer(),
                        BrowserPort.NONE, LoginSettings.withEndpoints(URI.create(config.oauth.openaiIssuer),
                        URI.create(config.oauth.claudeAuthorizeUrl)), clock, new SecureRandom()),
                proxy, clock, clientKeys);
        Wiring wiring = new Wiring(adminToken, pool, router, requestLog, pricing);
        wiring.proxy = proxy;
        return wiring;
    }

    private static java.util.List<String> poolSecrets(CredentialPool pool) {
        java.util.List<String> secrets = new java.util.ArrayList<>();
        for (io.proxygate.domain.credential.Credential c : pool.snapshot().credentials()) {
            switch (c) {
                case io.proxygate.domain.credential.ChatGptAccount a -> addTokens(secrets, a.tokens());
                case ClaudeAccount a -> addTokens(secrets, a.tokens());
                case io.proxygate.domain.credential.ApiKey k -> secrets.add(k.key().reveal());
            }
        }
        return secrets;
    }

    private static void addTokens(java.util.List<String> out, io.proxygate.domain.credential.OAuthTokens tokens) {
        out.add(tokens.accessToken().reveal());
        tokens.refreshToken().ifPresent(t -> out.add(t.reveal()));
        tokens.idToken().ifPresent(t -> out.add(t.reveal()));
    }

    /**
     * A random version-4 UUID for the request log. Request ids are not secrets, so they come from
     * {@link java.util.concurrent.ThreadLocalRandom} rather than {@code UUID.randomUUID()}, whose SecureRandom reads
     * the kernel's entropy device under a lock on every call.
     */
    static String requestId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** The data directory holds the admin token, pending logins and usage: readable by its owner only. */
    /**
     * The data directory holds the admin token and the database: created 0700, and an existing one open to other
     * users is tightened (and said so, since its owner may have widened it on purpose).
     */
    static void createPrivateDirectory(Path dir) throws IOException {
        boolean created = !Files.isDirectory(dir);
        if (created) {
            Files.createDirectories(dir);
        }
        try {
            var ownerOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
            var current = Files.getPosixFilePermissions(dir);
            if (!current.equals(ownerOnly)) {
                Files.setPosixFilePermissions(dir, ownerOnly);
                if (!created) {
                    LOG.warn("data_dir {} was {}; now rwx------ (it holds the admin token and the database)",
                            dir, java.nio.file.attribute.PosixFilePermissions.toString(current));
                }
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        } catch (java.nio.file.AccessDeniedException e) {
            // not ours to change (a shared or root-owned directory): its owner decides, the files inside stay 0600
            LOG.warn("data_dir {} is not owner-only and cannot be changed by this user", dir);
        }
    }

    /**
     * A data folder the Go version used holds its bbolt database where our SQLite file goes: its contents are taken
     * into a new SQLite database first, and the bbolt file is kept beside it. Whoever opens the database first does
     * it, the server or a CLI command; the one line saying what was imported is returned for it to show.
     */
    public static Optional<String> importGoDatabase(ProxyGateConfiguration config, String databaseUrl,
                                                    InstantSource clock) throws IOException {
        Optional<Path> file = GoDatabaseImport.sqliteFile(databaseUrl);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        return new GoDatabaseImport(config.broker.pinTtl, java.time.ZoneId.systemDefault(), clock)
                .importIfBolt(file.get()).map(summary -> summary.describe(file.get()));
    }

    /**
     * The pooled database: SQLite (WAL, a few connections: it has one writer anyway) or PostgreSQL (as many
     * connections as configured; a token refresh holds one for its advisory lock). Migrated before use; Flyway
     * locks the schema, so instances starting together on PostgreSQL migrate once.
     */
    private static Jdbi database(ProxyGateConfiguration config, String url, SqlDialect dialect,
                                 Environment environment) {
        if (dialect == SqlDialect.SQLITE) {
            SqliteDatabase.fileOf(url).ifPresent(SqliteDatabase::prepare);
        }
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass(dialect.driverClass());
        factory.setUrl(url);
        factory.setValidationQuery("SELECT 1");
        factory.setInitialSize(1);
        factory.setMinSize(1);
        if (dialect == SqlDialect.SQLITE) {
            factory.setProperties(Map.of("journal_mode", "WAL", "busy_timeout",
                    Long.toString(SqliteDatabase.BUSY_TIMEOUT.toMillis()), "synchronous", "NORMAL"));
            factory.setMaxSize(4);
        } else {
            if (!config.database.user.isBlank()) {
                factory.setUser(config.database.user);
            }
            if (!config.database.password.isEmpty()) {
                factory.setPassword(config.database.password);
            }
            factory.setMaxSize(config.database.maxConnections);
        }
        String name = dialect.name().toLowerCase(java.util.Locale.ROOT);
        ManagedDataSource dataSource = factory.build(environment.metrics(), name);
        if (dialect == SqlDialect.SQLITE) {
            SpaceReserve reserve = new SpaceReserve(config.paths.dataDir);
            try {
                Databases.migrate(dataSource, dialect);
            } catch (RuntimeException full) {
                // SQLite needs a little room to open a database in WAL mode (its -shm and -wal files). On a full
                // disk the reserve file kept for this moment is given up, so the server starts, degraded, instead
                // of refusing; the request log then holds rows in memory until there is room again.
                if (!reserve.release()) {
                    throw full;
                }
                org.slf4j.LoggerFactory.getLogger(Wiring.class).error("the database could not be opened ({}); "
                        + "released the space reserve in {} to start", full.getMessage(), config.paths.dataDir);
                Databases.migrate(dataSource, dialect);
            }
            reserve.ensure();
        } else {
            Databases.migrate(dataSource, dialect);
        }
        return new JdbiFactory().build(environment, factory, dataSource, name);
    }

    static RoutingSettings routingSettings(ProxyGateConfiguration config) {
        return new RoutingSettings(config.routing.priority, config.routing.drainMultiplier,
                config.routing.primaryBonus, config.broker.primaryUsedPctMax, config.broker.secondaryUsedPctMax,
                config.broker.pinTtl, RoutingSettings.DEFAULTS.maxPins(), RoutingSettings.DEFAULTS.usageFreshness(),
                Math.max(RoutingSettings.DEFAULTS.candidatesPerKind(), config.routing.maxAttempts))
                .withSticky(config.routing.stickyMaxTtft, config.routing.stickyMaxErrorRate);
    }

    /**
     * The ChatGPT backend base that every ChatGPT call without a URL of its own derives from (the model list, the
     * passthrough routes, usage polls): {@code [upstream] chatgpt_base_url} when it was changed; else, when only the
     * full responses URL is given ({@code PROXYGATE_CHATGPT_BASE_URL}), the backend of that URL, so a mock or a
     * private endpoint receives all ChatGPT traffic and none of it still goes to chatgpt.com.
     */
    static String chatgptBase(ProxyGateConfiguration.UpstreamSection u) {
        String base = trimSlashes(u.chatgptBaseUrl);
        if (u.chatgptResponsesUrl.isBlank() || !base.equals(UsageEndpoints.DEFAULT_CHATGPT_BASE)) {
            return base;
        }
        URI responses = URI.create(u.chatgptResponsesUrl.strip());
        String path = trimSlashes(Objects.requireNonNullElse(responses.getRawPath(), ""));
        String origin = responses.getScheme() + "://" + responses.getRawAuthority();
        // https://host/backend-api/codex/responses keeps its prefix; a bare mock path (http://127.0.0.1:P/responses)
        // means the backend lives at the host's /backend-api, where the model list and passthrough paths go.
        return path.endsWith("/codex/responses")
                ? origin + path.substring(0, path.length() - "/codex/responses".length())
                : origin + "/backend-api";
    }

    private static String trimSlashes(String url) {
        String s = url.strip();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /**
     * Each credential's calls leave through the proxy its pool file names, else {@code [upstream] proxy}, else the
     * environment's proxy for the target. Read per call, so an edited pool file applies to the next call.
     */
    public static ProxySelection proxySelection(ProxyGateConfiguration config, CredentialPool pool) {
        DefaultProxy fallback = DefaultProxy.of(config.upstream.proxy, config.upstream.proxyEnvironment);
        LOG.info("default outbound proxy: {}", fallback.describe());
        return (credential, target) -> credential
                .flatMap(id -> pool.snapshot().entry(id))
                .flatMap(entry -> entry.controls().proxy())
                .orElseGet(() -> fallback.forTarget(target));
    }

    static UpstreamSettings upstreamSettings(ProxyGateConfiguration config) {
        ProxyGateConfiguration.UpstreamSection u = config.upstream;
        String chatgptBase = chatgptBase(u);
        String responses = u.chatgptResponsesUrl.isBlank() ? chatgptBase + "/codex/responses" : u.chatgptResponsesUrl;
        return UpstreamSettings.builder()
                .chatgptResponsesUrl(responses)
                .chatgptCompactUrl(responses + "/compact")
                .chatgptModelsUrl(chatgptBase + "/codex/models")
                .openaiBaseUrl(u.openaiBaseUrl)
                .openaiResponsesUrl(u.openaiResponsesUrl.isBlank() ? null : u.openaiResponsesUrl)
                .openaiChatUrl(u.chatCompletionsUrl.isBlank() ? null : u.chatCompletionsUrl)
                .anthropicMessagesUrl(u.anthropicMessagesUrl.isBlank() ? u.anthropicBaseUrl + "/v1/messages"
                        : u.anthropicMessagesUrl)
                .connectTimeout(u.connectTimeout)
                .responseTimeout(u.responseTimeout)
                .idleTimeout(u.idleTimeout)
                .claudeCodeMimicry(u.claudeCodeMimicry)
                .maxConnectionsPerRoute(u.maxConnectionsPerRoute)
                .build();
    }

    /** {@code builtin} (or {@code none}) keeps to the built-in table and the cache: no fetch at all. */
    static PriceSourcePort priceSource(String location) {
        String l = location.trim();
        if (l.isEmpty() || l.equalsIgnoreCase("builtin") || l.equalsIgnoreCase("none")) {
            return new PriceSourcePort() {
                @Override
                public String location() {
                    return "builtin";
                }

                @Override
                public io.proxygate.domain.usage.PriceTable fetch() throws PriceSourceException {
                    throw new PriceSourceException("price fetching is off ([pricing] source = builtin)");
                }
            };
        }
        return new LiteLlmPriceSource(l);
    }

    private static Optional<String> optional(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Managed managed(Action start, Action stop) {
        return new Managed() {
            @Override
            public void start() throws Exception {
                start.run();
            }

            @Override
            public void stop() throws Exception {
                stop.run();
            }
        };
    }
}
