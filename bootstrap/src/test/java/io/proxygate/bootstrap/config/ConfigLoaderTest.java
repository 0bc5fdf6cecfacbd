package io.proxygate.bootstrap.config;

import io.proxygate.bootstrap.TestPaths;
import io.proxygate.domain.routing.RoutingPriority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    private Path write(String toml) throws IOException {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, toml);
        return file;
    }

    @Test
    void missingFileMeansDefaults() {
        ProxyGateConfiguration c = loader.load(dir.resolve("absent.toml"), Map.of());
        assertThat(c.server.addr).isEqualTo(new ListenAddress("127.0.0.1", 19527));
        assertThat(c.admin.addr).isEqualTo(new ListenAddress("127.0.0.1", 19528));
        assertThat(c.paths.dataDir).isEqualTo(Path.of("./data"));
        assertThat(c.paths.poolDir).isEqualTo(Path.of("./pool"));
        assertThat(c.routing.priority).isEqualTo(RoutingPriority.ACCOUNT_FIRST);
        assertThat(c.routing.drainMultiplier).isEqualTo(1.0);
        assertThat(c.routing.primaryBonus).isEqualTo(0.1);
        assertThat(c.broker.primaryUsedPctMax).isEqualTo(1.0);
        assertThat(c.broker.pinTtl).isEqualTo(Duration.ofHours(1));
        assertThat(c.wham.pollInterval).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.upstream.chatgptBaseUrl).isEqualTo("https://chatgpt.com/backend-api");
        assertThat(c.sourceFile).isEmpty();
    }

    @Test
    void goOriginalsExampleLoadsWithItsValues() {
        ProxyGateConfiguration c = loader.load(TestPaths.testdata("go-original/config.toml.example"), Map.of());
        assertThat(c.server.addr.toString()).isEqualTo("127.0.0.1:19527");
        assertThat(c.server.adminToken).isEmpty();
        assertThat(c.server.proxyToken).isEmpty();
        assertThat(c.routing.priority).isEqualTo(RoutingPriority.ACCOUNT_FIRST);
        assertThat(c.broker.primaryUsedPctMax).isEqualTo(0.95);
        assertThat(c.broker.secondaryUsedPctMax).isEqualTo(0.99);
        assertThat(c.broker.pinTtl).isEqualTo(Duration.ofHours(1));
        assertThat(c.wham.pollInterval).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.log.level).isEqualTo("info");
        assertThat(c.sourceFile).isPresent();
    }

    @Test
    void environmentOverridesTomlWhichOverridesDefaults() throws IOException {
        Path file = write("""
                [server]
                addr = "127.0.0.1:20000"
                proxy_token = "from-toml"
                [routing]
                priority = "APIKEY-FIRST"
                [admin]
                addr = "127.0.0.1:20001"
                """);
        ProxyGateConfiguration c = loader.load(file, Map.of(
                "PROXYGATE_ADDR", "127.0.0.1:30000",
                "PROXYGATE_ADMIN_ADDR", "127.0.0.1:30001",
                "PROXYGATE_BROKER_PIN_TTL", "30m"));
        assertThat(c.server.addr.port()).isEqualTo(30000);
        assertThat(c.admin.addr.port()).isEqualTo(30001);
        assertThat(c.server.proxyToken).isEqualTo("from-toml");
        assertThat(c.routing.priority).isEqualTo(RoutingPriority.APIKEY_FIRST);
        assertThat(c.broker.pinTtl).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void stickySessionBoundsLoadAndHaveTheirDefaults() throws IOException {
        ProxyGateConfiguration defaults = loader.load(dir.resolve("none.toml"), Map.of());
        assertThat(defaults.routing.stickyMaxTtft).isEqualTo(java.time.Duration.ofSeconds(15));
        assertThat(defaults.routing.stickyMaxErrorRate).isEqualTo(0.5);
        Path file = write("""
                [routing]
                sticky_max_ttft = "8s"
                sticky_max_error_rate = 0.3
                """);
        ProxyGateConfiguration c = loader.load(file, Map.of());
        assertThat(c.routing.stickyMaxTtft).isEqualTo(java.time.Duration.ofSeconds(8));
        assertThat(c.routing.stickyMaxErrorRate).isEqualTo(0.3);
        assertThat(loader.load(file, Map.of("PROXYGATE_ROUTING_STICKY_MAX_TTFT", "0")).routing.stickyMaxTtft)
                .isZero();
    }

    @Test
    void originalsFullUrlOverridesLandOnTheirEndpoints() {
        ProxyGateConfiguration c = loader.load(dir.resolve("none.toml"), Map.of(
                "PROXYGATE_CHATGPT_BASE_URL", "http://127.0.0.1:1/responses",
                "PROXYGATE_OPENAI_BASE_URL", "http://127.0.0.1:2/responses",
                "PROXYGATE_ANTHROPIC_BASE_URL", "http://127.0.0.1:3/v1/messages",
                "PROXYGATE_CHAT_BASE_URL", "http://127.0.0.1:4/chat/completions",
                "PROXYGATE_CHATGPT_USAGE_URL", "http://127.0.0.1:5/wham/usage"));
        assertThat(c.upstream.chatgptResponsesUrl).isEqualTo("http://127.0.0.1:1/responses");
        assertThat(c.upstream.openaiResponsesUrl).isEqualTo("http://127.0.0.1:2/responses");
        assertThat(c.upstream.anthropicMessagesUrl).isEqualTo("http://127.0.0.1:3/v1/messages");
        assertThat(c.upstream.chatCompletionsUrl).isEqualTo("http://127.0.0.1:4/chat/completions");
        assertThat(c.upstream.chatgptUsageUrl).isEqualTo("http://127.0.0.1:5/wham/usage");
    }

    @Test
    void vertexTakesTheFirstNonBlankVariableOfItsChain() {
        ProxyGateConfiguration c = loader.load(dir.resolve("none.toml"), Map.of(
                "ANTHROPIC_VERTEX_PROJECT_ID", " ",
                "GOOGLE_CLOUD_PROJECT", "proj-b",
                "GCLOUD_PROJECT", "proj-c",
                "CLOUD_ML_REGION", "us-east5"));
        assertThat(c.vertex.projectId).isEqualTo("proj-b");
        assertThat(c.vertex.location).isEqualTo("us-east5");
    }

    @Test
    void allowedHostsTakeATomlArrayOrACommaSeparatedVariable() throws IOException {
        Path file = write("[server]\nallowed_hosts = [\"proxy.internal\", \"gate.lan\"]\n");
        assertThat(loader.load(file, Map.of()).server.allowedHosts).containsExactly("proxy.internal", "gate.lan");
        assertThat(loader.load(file, Map.of("PROXYGATE_SERVER_ALLOWED_HOSTS", " a.example , b.example"))
                .server.allowedHosts).containsExactly("a.example", "b.example");
    }

    @Test
    void unknownPriorityIsRejectedNamingTheKey() throws IOException {
        Path file = write("[routing]\npriority = \"random\"\n");
        assertThatThrownBy(() -> loader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[routing] priority").hasMessageContaining("account-first");
    }

    @Test
    void numbersOutsideTheirRangeAreRejectedNamingTheKeyAndTheRange() throws IOException {
        assertThatThrownBy(() -> loader.load(write("[routing]\nmax_attempts = 21\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[routing] max_attempts")
                .hasMessageContaining("from 1 to 20");
        assertThatThrownBy(() -> loader.load(write("[database]\nmax_connections = 201\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[database] max_connections")
                .hasMessageContaining("from 1 to 200");
        assertThatThrownBy(() -> loader.load(write("[routing]\ndrain_multiplier = -0.5\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[routing] drain_multiplier")
                .hasMessageContaining("at least 0");
        assertThatThrownBy(() -> loader.load(dir.resolve("none.toml"), Map.of("PROXYGATE_ROUTING_PRIMARY_BONUS", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[routing] primary_bonus");
        assertThat(loader.load(write("[routing]\nmax_attempts = 20\n"), Map.of()).routing.maxAttempts).isEqualTo(20);
    }

    @Test
    void malformedAddressIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> loader.load(dir.resolve("none.toml"), Map.of("PROXYGATE_ADDR", "localhost")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("[server] addr")
                .hasMessageContaining("host:port");
    }

    @Test
    void malformedDurationIsRejectedNamingTheKey() throws IOException {
        Path file = write("[broker]\npin_ttl = \"an hour\"\n");
        assertThatThrownBy(() -> loader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[broker] pin_ttl").hasMessageContaining("duration");
    }

    @Test
    void fractionOutOfRangeIsRejected() throws IOException {
        Path file = write("[broker]\nprimary_used_pct_max = 95\n");
        assertThatThrownBy(() -> loader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[broker] primary_used_pct_max").hasMessageContaining("fraction");
    }

    @Test
    void unknownKeysAreWarningsNamingTheKeyWithTheNearestKnownOne() throws IOException {
        Path file = write("""
                top_level = 1
                addr = "127.0.0.1:1"
                [server]
                proxy_tokn = "127.0.0.1:1"
                proxy_token = "tok"
                pool_dir = "/elsewhere"
                [servre]
                addr = "127.0.0.1:2"
                [routing]
                totally_new_setting = true
                [extra]
                x = 1
                """);
        ProxyGateConfiguration c = loader.load(file, Map.of());
        assertThat(c.server.proxyToken).isEqualTo("tok");
        assertThat(c.server.addr).isEqualTo(new ListenAddress("127.0.0.1", 19527));
        assertThat(c.paths.poolDir).isEqualTo(Path.of("./pool"));
        assertThat(c.warnings).hasSize(7);
        assertThat(c.warnings).anySatisfy(w -> assertThat(w)
                .isEqualTo("unknown config key [server] proxy_tokn in " + file
                        + " (ignored); did you mean [server] proxy_token?"));
        assertThat(c.warnings).anySatisfy(w -> assertThat(w)
                .startsWith("unknown config key [server] pool_dir").endsWith("; did you mean [paths] pool_dir?"));
        assertThat(c.warnings).anySatisfy(w -> assertThat(w)
                .startsWith("unknown config key [servre] addr").endsWith("; did you mean [server] addr?"));
        assertThat(c.warnings).anySatisfy(w -> assertThat(w)
                .startsWith("unknown config key \"addr\"").endsWith("; did you mean [server] addr?"));
        assertThat(c.warnings).anySatisfy(w -> assertThat(w)
                .startsWith("unknown config key \"top_level\"").doesNotContain("did you mean"));
        assertThat(c.warnings).anySatisfy(w -> assertThat(w)
                .isEqualTo("unknown config key [routing] totally_new_setting in " + file + " (ignored)"));
        assertThat(c.warnings).anySatisfy(w -> assertThat(w).startsWith("unknown config key [extra] x"));
    }

    @Test
    void aBadLogLevelIsAWarningAndLogsAtInfo() throws IOException {
        ProxyGateConfiguration c = loader.load(write("[log]\nlevel = \"debgu\"\n"), Map.of());
        assertThat(c.log.level).isEqualTo("info");
        assertThat(c.warnings).containsExactly(
                "[log] level \"debgu\" is not one of debug, info, warn, error: logging at info; did you mean \"debug\"?");

        ProxyGateConfiguration fromEnv = loader.load(dir.resolve("none.toml"), Map.of("PROXYGATE_LOG_LEVEL", "loud"));
        assertThat(fromEnv.log.level).isEqualTo("info");
        assertThat(fromEnv.warnings).singleElement().asString().startsWith("[log] level \"loud\"")
                .doesNotContain("did you mean");

        assertThat(loader.load(write("[log]\nlevel = \"WARNING\"\n"), Map.of()).log.level).isEqualTo("warn");
        assertThat(loader.load(write("[log]\nlevel = \"error\"\n"), Map.of()).warnings).isEmpty();
    }

    @Test
    void badValuesOfKnownKeysStillFailNextToUnknownKeys() throws IOException {
        Path file = write("[server]\nadress = \"x\"\naddr = \"no-port\"\n");
        assertThatThrownBy(() -> loader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[server] addr").hasMessageContaining("host:port");
    }

    @Test
    void suggestionsAreForNearMissesOnly() {
        assertThat(KeySuggestions.distance("adress", "addr")).isEqualTo(4);
        assertThat(KeySuggestions.distance("levle", "level")).isEqualTo(1);
        assertThat(KeySuggestions.nearest("levle", java.util.List.of("level"))).contains("level");
        assertThat(KeySuggestions.nearest("adress", java.util.List.of("addr", "admin_token"))).isEmpty();
        assertThat(KeySuggestions.nearest("x", java.util.List.of("y", "zz"))).contains("y");
    }

    @Test
    void invalidTomlIsRejectedWithItsLine() throws IOException {
        Path file = write("[server]\naddr = \n");
        assertThatThrownBy(() -> loader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid TOML").hasMessageContaining("line 2");
    }

    @Test
    void goDurationsParse() {
        assertThat(Values.duration("k", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Values.duration("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Values.duration("k", "90d")).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void zeroPinTtlFallsBackToTheDefaultAsTheOriginal() throws IOException {
        Path file = write("[broker]\npin_ttl = \"0\"\n[routing]\ndrain_multiplier = 0\n");
        ProxyGateConfiguration c = loader.load(file, Map.of());
        assertThat(c.broker.pinTtl).isEqualTo(Duration.ofHours(1));
        assertThat(c.routing.drainMultiplier).isEqualTo(1.0);
    }

    @Test
    void emptyAddressPathsAndPriorityMeanTheDefaultsWithAWarningEach() throws IOException {
        Path file = write("""
                [server]
                addr = ""
                [paths]
                data_dir = ""
                pool_dir = ""
                [routing]
                priority = ""
                """);
        ProxyGateConfiguration c = loader.load(file, Map.of());
        assertThat(c.server.addr).isEqualTo(new ListenAddress("127.0.0.1", 19527));
        assertThat(c.paths.dataDir).isEqualTo(Path.of("./data"));
        assertThat(c.paths.poolDir).isEqualTo(Path.of("./pool"));
        assertThat(c.routing.priority).isEqualTo(RoutingPriority.ACCOUNT_FIRST);
        assertThat(c.warnings).containsExactlyInAnyOrder(
                "[server] addr is empty: using the default \"127.0.0.1:19527\"",
                "[paths] data_dir is empty: using the default \"./data\"",
                "[paths] pool_dir is empty: using the default \"./pool\"",
                "[routing] priority is empty: using the default \"account-first\"");
    }

    @Test
    void nonPositivePinTtlAndPollIntervalMeanTheDefaultsWithAWarningEach() throws IOException {
        Path file = write("[broker]\npin_ttl = \"-5m\"\n[wham]\npoll_interval = \"0s\"\n");
        ProxyGateConfiguration c = loader.load(file, Map.of());
        assertThat(c.broker.pinTtl).isEqualTo(Duration.ofHours(1));
        assertThat(c.wham.pollInterval).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.warnings).containsExactlyInAnyOrder(
                "[broker] pin_ttl = \"-5m\" is not positive: using the default \"1h\"",
                "[wham] poll_interval = \"0s\" is not positive: using the default \"5m\"");
    }

    @Test
    void aNegativePollIntervalFromTheEnvironmentAlsoMeansTheDefault() {
        ProxyGateConfiguration c = loader.load(dir.resolve("absent.toml"),
                Map.of("PROXYGATE_WHAM_POLL_INTERVAL", "-1h"));
        assertThat(c.wham.pollInterval).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.warnings).singleElement().asString().startsWith("[wham] poll_interval = \"-1h\"");
    }

    @Test
    void positiveSignedDurationsKeepTheirValueAndGarbageStillFails() throws IOException {
        assertThat(loader.load(write("[broker]\npin_ttl = \"+30m\"\n"), Map.of()).broker.pinTtl)
                .isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> loader.load(write("[broker]\npin_ttl = \"-\"\n"), Map.of()))
                .hasMessage("invalid config [broker] pin_ttl = \"-\": expected a duration such as \"30s\", \"5m\","
                        + " \"1h\" or \"1h30m\"");
        assertThatThrownBy(() -> loader.load(write("[server]\naddr = \"nohost\"\n"), Map.of()))
                .hasMessageContaining("[server] addr");
    }

    @Test
    void shippedExampleLoadsAndDocumentsEveryKey() throws IOException {
        Path example = TestPaths.repoRoot().resolve("config.toml.example");
        ProxyGateConfiguration c = loader.load(example, Map.of());
        assertThat(c.admin.addr.port()).isEqualTo(19528);
        String text = Files.readString(example);
        for (String key : ConfigLoader.knownKeys()) {
            String name = key.substring(key.indexOf('.') + 1);
            assertThat(text).as("config.toml.example documents %s", key).contains(name);
        }
    }
}
