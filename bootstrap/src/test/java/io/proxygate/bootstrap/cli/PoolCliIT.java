package io.proxygate.bootstrap.cli;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.proxygate.bootstrap.ProxyGateApplication;
import io.proxygate.bootstrap.TestPaths;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pool commands end to end against a temp pool directory, as a user runs them. */
class PoolCliIT {
    @TempDir
    Path root;

    private String out;
    private String err;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = ProxyGateCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), Map.of(
                        "PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                        "PROXYGATE_POOL_DIR", root.resolve("pool").toString()));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    @Test
    void importsTheOriginalsExportsAndListsThem() throws Exception {
        assertThat(run("import", "--from=" + TestPaths.testdata("imports/v1-accounts.json"))).isZero();
        assertThat(out).startsWith("imported ").contains("accounts to " + root.resolve("pool/chatgpt"));
        assertThat(run("import-keys", "--from", TestPaths.testdata("imports/api-keys.json").toString())).isZero();
        assertThat(out).contains("keys to");
        assertThat(run("add-claude-account", "--from=" + TestPaths.testdata("imports/claude-credentials.json"),
                "--email=claude-user@example.com")).isZero();
        assertThat(out).isEqualTo("added claude: claude-user@example.com\n");

        assertThat(run("list", "--long")).isZero();
        assertThat(out).contains("alice@example.com").contains("chatgpt-pool").contains("work").doesNotContain("sk-test");
        assertThat(run("list-claude", "--json")).isZero();
        assertThat(out).contains("\"name\" : \"claude-user@example.com\"").contains("sha256:");
        try (var files = Files.list(root.resolve("pool/chatgpt"))) {
            files.forEach(f -> assertThat(permissions(f)).isEqualTo("rw-------"));
        }
    }

    @Test
    void statusShowsTheOriginalsSummaryLines() throws Exception {
        PoolFiles.chatgpt(root.resolve("pool"), "a@x.com", "acc-a", "pro");
        PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-openai");
        Files.writeString(root.resolve("pool/apikeys/broken.json"), "{not json");
        assertThat(run("status")).isZero();
        assertThat(out.lines().limit(7)).containsExactly(
                "addr:        127.0.0.1:19527",
                "data_dir:    " + root.resolve("data"),
                "pool_dir:    " + root.resolve("pool"),
                "priority:    account-first",
                "accounts:    1",
                "claude_accounts: 0",
                "api_keys:    1");
        assertThat(out).contains("problem: ").contains("broken.json");
    }

    @Test
    void anUnknownConfigKeyIsAWarningOnStderrNotAFailure() throws Exception {
        Path config = root.resolve("config.toml");
        Files.writeString(config, "[server]\nadr = \"127.0.0.1:1\"\n[log]\nlevel = \"verbose\"\n");
        assertThat(run("status", "--config", config.toString())).isZero();
        assertThat(out).startsWith("addr:        127.0.0.1:19527\n");
        assertThat(err.lines()).containsExactly(
                "warning: unknown config key [server] adr in " + config + " (ignored); did you mean [server] addr?",
                "warning: [log] level \"verbose\" is not one of debug, info, warn, error: logging at info");

        Files.writeString(config, "[server]\naddr = \"no-port\"\n");
        assertThat(run("status", "--config", config.toString())).isEqualTo(1);
        assertThat(err).startsWith("error: ").contains("[server] addr");
    }

    @Test
    void listPrintsTheOriginalsFileNamesByDefaultTheTableWithLongAndJsonWithJson() throws Exception {
        PoolFiles.chatgpt(root.resolve("pool"), "b@x.com", "acc-b", "plus");
        PoolFiles.chatgpt(root.resolve("pool"), "a@x.com", "acc-a", "pro");
        PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-openai");
        Files.writeString(root.resolve("pool/chatgpt/notes.txt"), "not an account");
        Files.createDirectories(root.resolve("pool/chatgpt/old.json"));

        assertThat(run("list")).isZero();
        assertThat(out).isEqualTo("a_x.com\nb_x.com\n");
        assertThat(err).isEmpty();

        assertThat(run("list-claude")).isZero();
        assertThat(out).isEqualTo("(no accounts in " + root.resolve("pool/claude") + ")\n");

        assertThat(run("list", "--long")).isZero();
        assertThat(out.lines().findFirst().orElseThrow()).startsWith("KIND");
        assertThat(out).contains("a@x.com").contains("b@x.com").contains("openai-1").doesNotContain("sk-test");

        assertThat(run("list", "--json")).isZero();
        assertThat(out).startsWith("{").contains("\"name\" : \"a@x.com\"").contains("\"name\" : \"openai-1\"");
    }

    @Test
    void disableAndEnableRewriteTheFileAndUnknownNamesFail() throws Exception {
        PoolFiles.chatgpt(root.resolve("pool"), "a@x.com", "acc-a", "pro");
        assertThat(run("disable", "a@x.com")).isZero();
        assertThat(out.strip()).isEqualTo("account a@x.com disabled=true");
        Path file = root.resolve("pool/chatgpt/a_x.com.json");
        assertThat(Files.readString(file)).contains("\"disabled\": true").contains("\"refresh_token\"");
        assertThat(run("enable", "a@x.com")).isZero();
        assertThat(Files.readString(file)).doesNotContain("\"disabled\": true").contains("\"refresh_token\"");
        assertThat(run("disable", "nobody@x.com")).isEqualTo(1);
        assertThat(err.strip()).isEqualTo("error: not found: nobody@x.com");
    }

    @Test
    void deletedFilesAreListedAndRestoredWithoutOverwriting() throws Exception {
        Path pool = root.resolve("pool");
        PoolFiles.key(pool, "openai-1", "openai", "sk-test-openai");
        String original = Files.readString(pool.resolve("apikeys/openai-1.json"));
        Files.createDirectories(pool.resolve(".deleted"));
        Files.move(pool.resolve("apikeys/openai-1.json"),
                pool.resolve(".deleted/apikeys.openai-1.20261204T120000000Z.json"));

        assertThat(run("deleted")).isZero();
        assertThat(out).contains("openai-key").contains("openai-1")
                .contains("proxy-gate restore apikeys.openai-1.20261204T120000000Z.json").doesNotContain("sk-test");
        assertThat(run("deleted", "--json")).isZero();
        assertThat(out).contains("\"file\" : \"openai-1.json\"").contains("\"deleted_at\" : \"2026-12-04T12:00:00Z\"");

        PoolFiles.key(pool, "openai-1", "openai", "sk-test-newer");
        assertThat(run("restore", "apikeys.openai-1.20261204T120000000Z.json")).isEqualTo(1);
        assertThat(err).startsWith("error: ").contains("in the pool again");
        assertThat(Files.readString(pool.resolve("apikeys/openai-1.json"))).contains("sk-test-newer");

        Files.delete(pool.resolve("apikeys/openai-1.json"));
        assertThat(run("restore", "apikeys.openai-1.20261204T120000000Z.json")).isZero();
        assertThat(out).startsWith("restored apikeys.openai-1.20261204T120000000Z.json to ");
        assertThat(Files.readString(pool.resolve("apikeys/openai-1.json"))).isEqualTo(original);
        assertThat(run("restore", "apikeys.openai-1.20261204T120000000Z.json")).isEqualTo(1);
        assertThat(err).contains("no deleted file named");
    }

    @Test
    void aMissingFromIsOneErrorLine() {
        assertThat(run("import")).isEqualTo(1);
        assertThat(err.strip()).isEqualTo("error: --from=PATH required");
    }

    @Test
    void aRunningServerPicksUpDisableWithinTwoSeconds() throws Exception {
        DropwizardAppExtension<ProxyGateConfiguration> app = runningServerWithAccountA();
        try {
            var pool = ((ProxyGateApplication) app.getApplication()).wiring().pool();
            assertThat(pool.snapshot().entry(CredentialId.chatgpt("a@x.com")).orElseThrow().credential().disabled())
                    .isFalse();
            assertThat(run("disable", "a@x.com")).isZero();
            await().atMost(Duration.ofSeconds(2)).until(() ->
                    pool.snapshot().entry(CredentialId.chatgpt("a@x.com")).orElseThrow().credential().disabled());
        } finally {
            app.after();
        }
    }

    @Test
    void clearCooldownReachesARunningServerAndTheDatabase() throws Exception {
        DropwizardAppExtension<ProxyGateConfiguration> app = runningServerWithAccountA();
        ProxyGateConfiguration config = app.getConfiguration();
        CredentialId id = CredentialId.chatgpt("a@x.com");
        try {
            var router = ((ProxyGateApplication) app.getApplication()).wiring().router();
            for (int i = 0; i < 9; i++) {
                router.onFailure(id, new io.proxygate.application.routing.AttemptFailure.ServerError(500),
                        java.time.Instant.now());
            }
            router.onFailure(id, new io.proxygate.application.routing.AttemptFailure.NeedsLogin("auth_forbidden"),
                    java.time.Instant.now());
            assertThat(cooldown(router, id)).isPresent();
            assertThat(status(router, id).needsLoginReason()).contains("auth_forbidden");
            Map<String, String> env = new java.util.HashMap<>(Map.of(
                    "PROXYGATE_DATA_DIR", config.paths.dataDir.toString(),
                    "PROXYGATE_POOL_DIR", config.paths.poolDir.toString(),
                    "PROXYGATE_ADDR", "127.0.0.1:" + app.getLocalPort()));
            if (!config.server.adminToken.isBlank()) {
                env.put("PROXYGATE_ADMIN_TOKEN", config.server.adminToken);
            }
            assertThat(runWith(env, "clear-cooldown", "a@x.com")).isZero();
            assertThat(out).contains("cleared on the running server");
            assertThat(cooldown(router, id)).isEmpty();
            assertThat(status(router, id).needsLoginReason()).as("the operator's reset lifts the mark").isEmpty();
            assertThat(runWith(env, "clear-cooldown", "nobody@x.com")).isEqualTo(1);
        } finally {
            app.after();
        }
        // After the server stopped, the saved state has no cooldown either.
        var saved = new io.proxygate.adapter.out.persistence.sql.SqlCredentialState(
                io.proxygate.adapter.out.persistence.sql.SqliteDatabase.open(config.paths.dataDir.resolve("proxygate.db")),
                java.time.InstantSource.system()).loadAll().get(id);
        assertThat(saved == null || saved.cooldownUntil().isEmpty()).isTrue();
        assertThat(saved == null || saved.needsLoginReason().isEmpty()).isTrue();
    }

    /** The application started over a pool holding ChatGPT account a@x.com: the running server a command must reach. */
    private DropwizardAppExtension<ProxyGateConfiguration> runningServerWithAccountA() throws Exception {
        PoolFiles.chatgpt(root.resolve("pool"), "a@x.com", "acc-a", "pro");
        DropwizardAppExtension<ProxyGateConfiguration> app =
                ProxyGateRunner.extension(ProxyGateRunner.config(root, Map.of()));
        app.before();
        return app;
    }

    private static java.util.Optional<java.time.Instant> cooldown(
            io.proxygate.application.routing.RoutingService router, CredentialId id) {
        return status(router, id).cooldownUntil();
    }

    private static io.proxygate.application.routing.CredentialStatus status(
            io.proxygate.application.routing.RoutingService router, CredentialId id) {
        return router.statuses().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private int runWith(Map<String, String> env, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = ProxyGateCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), env);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private static String permissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void statusShowsTodaysRequestsTokensAndCostPerCredential() throws Exception {
        PoolFiles.chatgpt(root.resolve("pool"), "a@x.com", "acc-a", "pro");
        Files.createDirectories(root.resolve("data"));
        var jdbi = io.proxygate.adapter.out.persistence.sql.SqliteDatabase.open(root.resolve("data/proxygate.db"));
        try (var log = new io.proxygate.adapter.out.persistence.sql.SqlRequestLog(jdbi)) {
            for (int i = 0; i < 3; i++) {
                log.append(new io.proxygate.application.usage.RequestRecord("r" + i, java.time.Instant.now(),
                        "/v1/responses", "chatgpt-pool", java.util.Optional.of(CredentialId.chatgpt("a@x.com")), "gpt-5",
                        java.util.Optional.empty(), 200, new io.proxygate.domain.usage.TokenUsage(100, 0, 0, 25, 0),
                        java.util.Optional.of(new java.math.BigDecimal("0.000375")), Duration.ofMillis(20),
                        java.util.Optional.of(Duration.ofMillis(5)), java.util.Optional.empty(), java.util.Optional.empty(),
                        java.util.Optional.empty(), false, ""));
            }
        }
        assertThat(run("status")).isZero();
        assertThat(out).contains("chatgpt:a@x.com").contains("3r · 300/75 · $0.0011");
        assertThat(run("status", "--json")).isZero();
        assertThat(out).contains("\"requests\" : 3").contains("\"cost_usd\" : \"0.001125\"");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ProxyGateCli.run(new String[]{"status"}, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), Map.of(
                        "PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                        "PROXYGATE_POOL_DIR", root.resolve("pool").toString(),
                        "PROXYGATE_USAGE_ACCOUNT_DAILY_BUDGET_USD", "0.001"));
        assertThat(o.toString(StandardCharsets.UTF_8)).contains("over daily budget ($0.001)");
    }
}
