package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server started in a Go user's folder: {@code data/proxygate.db} is the Go version's bbolt database (the
 * committed fixture, {@code testdata/bolt-fixture/proxygate.db}). It is imported before the database opens, kept as
 * {@code data/proxygate.bolt.db}, and the admin API shows what it held.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class GoDatabaseSystemIT {
    private static final String TOKEN = "go-database-admin-token";
    private static final Path ROOT = goUsersFolder();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP =
            ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, Map.of("PROXYGATE_ADMIN_TOKEN", TOKEN)));
    private final HttpClient http = HttpClient.newHttpClient();

    private static Path goUsersFolder() {
        try {
            Path root = Files.createTempDirectory("proxygate-go-folder");
            Files.createDirectories(root.resolve("data"));
            Files.copy(TestPaths.testdata("bolt-fixture/proxygate.db"), root.resolve("data/proxygate.db"));
            Path pool = root.resolve("pool");
            PoolFiles.chatgpt(pool, "user@example.com", "acc-user", "plus");
            PoolFiles.chatgpt(pool, "second@example.com", "acc-second", "plus");
            PoolFiles.claude(pool, "claude@example.com");
            PoolFiles.key(pool, "openai-main", "openai", "sk-test-openai-main");
            PoolFiles.key(pool, "anthropic-main", "anthropic", "sk-ant-test-main");
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String admin(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort()
                + path)).header("X-Admin-Token", TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void theBoltFileIsKeptBesideTheNewSqliteDatabase() throws IOException {
        assertThat(Files.readAllBytes(ROOT.resolve("data/proxygate.bolt.db")))
                .isEqualTo(Files.readAllBytes(TestPaths.testdata("bolt-fixture/proxygate.db")));
        byte[] head = Files.readAllBytes(ROOT.resolve("data/proxygate.db"));
        assertThat(new String(head, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3");
    }

    @Test
    void theAdminApiShowsTheGoLifetimeCounters() throws Exception {
        assertThat(admin("/admin/keys")).contains("\"id\":\"openai-main\"").contains("\"total_requests\":11")
                .contains("\"total_input_tokens\":10100");
        assertThat(admin("/admin/accounts")).contains("\"total_requests\":132").contains("\"total_input_tokens\":150000")
                .contains("\"total_requests\":3");
        assertThat(admin("/admin/claude-accounts")).contains("\"total_requests\":25");
    }

    @Test
    void theClaudeFallbackPolicyIsTheGoVersions() throws Exception {
        assertThat(admin("/admin/claude-fallback").replace(" ", "")).contains("\"enabled\":false")
                .contains("claude-opus-4-7");
    }
}
