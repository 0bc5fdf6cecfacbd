package io.proxygate.bootstrap.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyGateCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ProxyGateCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void versionPrintsTheVersion() {
        assertThat(run("version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("proxy-gate ");
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("serve").contains("version");
    }

    @Test
    void helpOnACommandDescribesIt() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config");
    }

    @Test
    void unknownCommandPrintsUsageAndExitsTwo() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error:").contains("serve");
    }

    @Test
    void unknownFlagExitsTwo() {
        assertThat(run("version", "--bogus")).isEqualTo(2);
    }

    @Test
    void badConfigIsOneErrorLineAndExitOne() {
        int status = ProxyGateCli.run(new String[]{"serve", "--config=/nonexistent/config.toml"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("PROXYGATE_ROUTING_PRIORITY", "sideways"));
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .startsWith("error: invalid config [routing] priority").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void statusRunsOnAGoConfigWithEmptyValuesAndWarnsAboutEach(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path config = dir.resolve("config.toml");
        java.nio.file.Files.writeString(config, """
                [server]
                addr = ""
                [paths]
                data_dir = "%s"
                pool_dir = "%s"
                [routing]
                priority = ""
                [broker]
                pin_ttl = "-5m"
                """.formatted(dir.resolve("data"), dir.resolve("pool")));

        int status = run("status", "--config=" + config);

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(stderr).isZero();
        assertThat(stderr).contains("warning: [server] addr is empty: using the default \"127.0.0.1:19527\"")
                .contains("warning: [routing] priority is empty: using the default \"account-first\"")
                .contains("warning: [broker] pin_ttl = \"-5m\" is not positive: using the default \"1h\"")
                .doesNotContain("error:");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("127.0.0.1:19527").contains("account-first");
    }

    @Test
    void theServersCommandLinesAreReadAsTheLibraryReadsThem() {
        com.github.rvesse.airline.Cli<CliCommand> library = new com.github.rvesse.airline.Cli<>(ProxyGateCli.class);
        for (String[] args : new String[][]{{}, {"serve"}, {"serve", "--config", "/etc/pg.toml"},
                {"serve", "-c", "pg.toml"}, {"serve", "--config=conf/pg.toml"}, {"--config", "x.toml"},
                {"--config=x.toml"}}) {
            ServeCommand parsed = (ServeCommand) library.parse(args);

            assertThat(ProxyGateCli.plainServe(args)).as(String.join(" ", args))
                    .hasValueSatisfying(serve -> assertThat(serve.config.path).isEqualTo(parsed.config.path));
        }
    }

    @Test
    void everyOtherCommandLineIsLeftToTheLibrary() {
        for (String[] args : new String[][]{{"serve", "--help"}, {"--help"}, {"version"}, {"serve", "--bogus"},
                {"serve", "--config"}, {"serve", "--config="}, {"serve", "--config", "-h"},
                {"serve", "--config", "a", "extra"}, {"serve", "serve"}}) {
            assertThat(ProxyGateCli.plainServe(args)).as(String.join(" ", args)).isEmpty();
        }
    }
}
