package io.proxygate.bootstrap.config;

import io.dropwizard.core.Configuration;
import io.proxygate.domain.routing.RoutingPriority;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jetty.GzipHandlerFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Optional;

/**
 * ProxyGate's configuration: the {@code config.toml} tables and keys documented in the README (a Go version's file
 * loads unchanged), newer settings in tables of their own. Filled by {@link ConfigLoader} from TOML and
 * {@code PROXYGATE_*} variables, then bean-validated.
 */
public class ProxyGateConfiguration extends Configuration {
    public final ServerSection server = new ServerSection();
    public final PathsSection paths = new PathsSection();
    public final RoutingSection routing = new RoutingSection();
    public final BrokerSection broker = new BrokerSection();
    public final WhamSection wham = new WhamSection();
    public final VertexSection vertex = new VertexSection();
    public final LogSection log = new LogSection();
    public final AdminSection admin = new AdminSection();
    public final UpstreamSection upstream = new UpstreamSection();
    public final OAuthSection oauth = new OAuthSection();
    public final PricingSection pricing = new PricingSection();
    public final UsageSection usage = new UsageSection();
    public final DatabaseSection database = new DatabaseSection();
    public final TranslateSection translate = new TranslateSection();

    /** Requests (streams included) the server handles at once; each runs on its own virtual thread. */
    public static final int MAX_CONCURRENT_REQUESTS = 16_384;

    /** Jetty's per-response output buffer; see {@link #connector}. */
    static final int OUTPUT_BUFFER_KIB = 8;

    /** The file this configuration was read from, if any (the admin token is also kept beside it, see AdminTokens). */
    public Optional<Path> sourceFile = Optional.empty();

    /** What the loader skipped (unknown keys, an unknown log level), one line each, for the caller to log. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public final List<String> warnings = new java.util.ArrayList<>();

    /**
     * Points Dropwizard's Jetty at our addresses: the API and dashboard on {@code [server] addr}, metrics, health
     * checks and threads on {@code [admin] addr}; request handling on virtual threads; no gzip (it would hold back
     * SSE events); no access log (the proxy writes one line per request itself); log level from {@code [log]}.
     */
    public void applyToDropwizard() {
        DefaultServerFactory factory = new DefaultServerFactory();
        factory.setApplicationConnectors(List.of(connector(server.addr)));
        factory.setAdminConnectors(List.of(connector(admin.addr)));
        factory.setEnableVirtualThreads(true);
        // With virtual threads, Dropwizard's maxThreads (1024) becomes Jetty's cap on concurrent requests, and Jetty
        // enforces it by blocking the selector thread: past 1,024 open streams every stream stalled. Streams are
        // cheap (tens of KiB each, testdata/bench/RESULTS.md), so the cap sits far above any real pool's load.
        factory.setMaxThreads(MAX_CONCURRENT_REQUESTS);
        factory.setEnableAdminVirtualThreads(true);
        factory.setShutdownGracePeriod(io.dropwizard.util.Duration.milliseconds(server.shutdownGrace.toMillis()));
        GzipHandlerFactory gzip = new GzipHandlerFactory();
        gzip.setEnabled(false);
        factory.setGzipFilterFactory(gzip);
        LogbackAccessRequestLogFactory requestLog = new LogbackAccessRequestLogFactory();
        requestLog.setAppenders(List.of());
        factory.setRequestLogFactory(requestLog);
        factory.setRegisterDefaultExceptionMappers(true);
        setServerFactory(factory);
        DefaultLoggingFactory logging = new DefaultLoggingFactory();
        String level = log.level.equals("warn") ? "WARN" : log.level.toUpperCase(java.util.Locale.ROOT);
        if (level.equals("DEBUG") || level.equals("TRACE")) {
            // Debug is for ProxyGate's own loggers. At debug, Jetty's HTTP parser and HttpClient's header and wire
            // loggers print every header they see, client tokens and pooled credentials included.
            logging.setLevel("INFO");
            logging.setLoggers(java.util.Map.of("io.proxygate",
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(level)));
        } else {
            logging.setLevel(level);
        }
        // One console appender whose layout masks secrets in every line, whatever level a logger is turned to.
        io.dropwizard.logging.common.ConsoleAppenderFactory<ch.qos.logback.classic.spi.ILoggingEvent> console =
                new io.dropwizard.logging.common.ConsoleAppenderFactory<>();
        console.setLayout(new io.proxygate.bootstrap.logging.MaskingLayoutFactory());
        logging.setAppenders(List.of(console));
        setLoggingFactory(logging);
    }

    private static HttpConnectorFactory connector(ListenAddress address) {
        HttpConnectorFactory connector = new HttpConnectorFactory();
        connector.setBindHost(address.host());
        connector.setPort(address.port());
        // Jetty holds one output buffer per response until it completes, so an open stream keeps it for its whole
        // life: at the default 32 KiB, 5,000 idle streams held 160 MiB of direct memory. SSE events and JSON replies
        // are written whole and flushed, so a smaller buffer costs no extra writes (testdata/bench/RESULTS.md).
        connector.setOutputBufferSize(io.dropwizard.util.DataSize.kibibytes(OUTPUT_BUFFER_KIB));
        return connector;
    }

    public static final class ServerSection {
        public ListenAddress addr = new ListenAddress("127.0.0.1", 19527);
        public String adminToken = "";
        /**
         * Where {@link #adminToken} was set: an environment variable's name, or {@code [server] admin_token in <file>};
         * empty when it is not set.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String adminTokenSource = "";
        public String proxyToken = "";
        public String publicBaseUrl = "";
        /** Accept any Claude OAuth token ({@code sk-ant-oat...}) as client auth on /v1/messages, anywhere. */
        public boolean acceptClaudeOauthClients = false;
        /** Host names the main port answers to besides loopback, the listen host and the public URL's host. */
        public java.util.List<String> allowedHosts = java.util.List.of();
        /** Browser origins ({@code scheme://host[:port]}) allowed to call the API routes cross-site. */
        public java.util.List<String> allowedOrigins = java.util.List.of();
        public long maxBodyBytes = 64L * 1024 * 1024;
        public Duration shutdownGrace = Duration.ofSeconds(30);

        public String addrText() {
            return addr.toString();
        }

        /**
         * The dashboard's address as a user can open it: {@code public_base_url} when set, else the listen address,
         * with a wildcard host ({@code 0.0.0.0}, {@code ::}), which no browser can open, read as loopback.
         */
        public String dashboardUrl() {
            String base = publicBaseUrl == null ? "" : publicBaseUrl.strip();
            if (!base.isEmpty()) {
                return base.endsWith("/") ? base : base + "/";
            }
            String host = switch (addr.host()) {
                case "", "0.0.0.0" -> "127.0.0.1";
                case "::", "[::]" -> "::1";
                default -> addr.host();
            };
            return "http://" + new ListenAddress(host, addr.port()) + "/";
        }

        public boolean listensOnLoopback() {
            return addr.isLoopback();
        }
    }

    public static final class PathsSection {
        public Path dataDir = Path.of("./data");
        public Path poolDir = Path.of("./pool");
    }

    public static final class RoutingSection {
        public RoutingPriority priority = RoutingPriority.ACCOUNT_FIRST;
        public double drainMultiplier = 1.0;
        public double primaryBonus = 0.1;
        public int maxAttempts = 5;
        /** Whether a pinned conversation that hits a 429 may move to another credential when that is safe. */
        public boolean movePinnedOnRateLimit = true;
        /** How long a request may wait for a slot when every capable credential is at max_concurrent; 0 = off. */
        public Duration queueTimeout = Duration.ZERO;
        /** {@code [[routing.error_rules]]}, in file order. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public java.util.List<io.proxygate.domain.routing.ErrorRule> errorRules = java.util.List.of();
        /** A fresh turn leaves its pinned credential when that one's time-to-first-byte average is above this. */
        public Duration stickyMaxTtft = Duration.ofSeconds(15);
        /** ... or when its error-rate average (0..1) is above this. Zero turns either check off. */
        public double stickyMaxErrorRate = 0.5;
    }

    /** {@code [translate]}: serving a request from the other API family (off by default). */
    public static final class TranslateSection {
        public boolean enabled = false;
        /** When every credential of the requested family is spent, serve from the other family. */
        public boolean fallbackOnExhaustion = true;
        /** {@code [translate.models]}, in file order: requested-model glob to the model the other family serves. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public java.util.List<io.proxygate.domain.translate.TranslationPolicy.ModelMapping> models = java.util.List.of();

        public io.proxygate.domain.translate.TranslationPolicy policy() {
            return new io.proxygate.domain.translate.TranslationPolicy(enabled, fallbackOnExhaustion, models);
        }
    }

    public static final class BrokerSection {
        public double primaryUsedPctMax = 1.0;
        public double secondaryUsedPctMax = 1.0;
        public Duration pinTtl = Duration.ofHours(1);
    }

    public static final class WhamSection {
        public Duration pollInterval = Duration.ofMinutes(5);
    }

    public static final class VertexSection {
        public String projectId = "";
        public String location = "";
        public String credentialsFile = "";
        /** Overrides {@code https://{location}-aiplatform.googleapis.com} (tests, private endpoints). */
        public String baseUrl = "";
    }

    public static final class LogSection {
        public String level = "info";
    }

    public static final class AdminSection {
        public ListenAddress addr = new ListenAddress("127.0.0.1", 19528);
    }

    public static final class UpstreamSection {
        public String chatgptBaseUrl = "https://chatgpt.com/backend-api";
        public String openaiBaseUrl = "https://api.openai.com/v1";
        public String anthropicBaseUrl = "https://api.anthropic.com";
        public String anthropicApiBaseUrl = "https://api.anthropic.com";
        /** Full-URL overrides, set by the PROXYGATE_*_URL variables; blank = derived from the bases. */
        public String chatgptResponsesUrl = "";
        public String chatgptUsageUrl = "";
        public String claudeUsageUrl = "";
        public String openaiResponsesUrl = "";
        public String chatCompletionsUrl = "";
        public String anthropicMessagesUrl = "";
        public Duration connectTimeout = Duration.ofSeconds(10);
        /** Longest wait for the upstream's response headers. */
        public Duration responseTimeout = Duration.ofMinutes(10);
        /** A stream that sends nothing for this long is cut. */
        public Duration idleTimeout = Duration.ofMinutes(5);
        /**
         * The whole failover sequence before the first byte (every attempt and cooldown wait) ends by then, and the
         * client gets its error; null (unset) = twice the response timeout.
         */
        public Duration attemptDeadline;
        /** A stream running longer than this is ended with an error event; zero = no limit. */
        public Duration maxStreamDuration = Duration.ZERO;
        /**
         * While an event stream's upstream is quiet this long, an SSE comment goes to the client, so a client that
         * left is noticed without waiting for the next event; zero = off.
         */
        public Duration keepaliveInterval = Duration.ofSeconds(15);

        /** {@code attempt_deadline}, or twice the response timeout when unset. */
        public Duration effectiveAttemptDeadline() {
            return attemptDeadline != null && !attemptDeadline.isZero() && !attemptDeadline.isNegative()
                    ? attemptDeadline : responseTimeout.multipliedBy(2);
        }
        /** Off: a relay forwards what the client sent; rewriting it as Claude Code is the operator's explicit choice. */
        public boolean claudeCodeMimicry = false;
        public int maxConnectionsPerRoute = 512;
        /** Default outbound proxy for credentials whose pool file names none; blank = the environment's, if any. */
        public String proxy = "";
        /** {@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY} (either case) as the process saw them. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public java.util.Map<String, String> proxyEnvironment = java.util.Map.of();
    }

    public static final class OAuthSection {
        public String openaiIssuer = "https://auth.openai.com";
        public String claudeAuthorizeUrl = "https://claude.ai/oauth/authorize";
        public String anthropicTokenUrl = "https://console.anthropic.com/v1/oauth/token";
        public Duration refreshSkew = Duration.ofMinutes(5);
    }

    public static final class PricingSection {
        public String source =
                "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json";
        public Duration refreshInterval = Duration.ofHours(24);
    }

    /**
     * Where runtime state lives: by default the SQLite file {@code <data_dir>/proxygate.db}; a
     * {@code jdbc:postgresql://} URL lets several instances share one database (see docs/postgresql.md).
     */
    public static final class DatabaseSection {
        /** Blank: the SQLite file in the data directory. */
        public String url = "";
        /** For PostgreSQL, unless the URL carries them. */
        public String user = "";
        public String password = "";
        /** How often an instance on a shared database reads the state the others saved. */
        public Duration syncInterval = Duration.ofSeconds(3);
        public int maxConnections = 16;

        /** The JDBC URL to open: {@link #url}, or the SQLite file in {@code dataDir}. */
        public String jdbcUrl(Path dataDir) {
            return url.isBlank() ? "jdbc:sqlite:" + dataDir.resolve("proxygate.db").toAbsolutePath() : url;
        }

        public boolean postgres() {
            return url.startsWith("jdbc:postgresql:");
        }
    }

    public static final class UsageSection {
        public Duration retention = Duration.ofDays(90);
        /** Estimated USD a subscription account may use per local day; 0 = no budget. */
        public java.math.BigDecimal accountDailyBudgetUsd = java.math.BigDecimal.ZERO;
        /** Estimated USD an API key may spend per local day; 0 = no budget. */
        public java.math.BigDecimal keyDailyBudgetUsd = java.math.BigDecimal.ZERO;
    }
}
