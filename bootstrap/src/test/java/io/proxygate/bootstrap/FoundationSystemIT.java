package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real application on free ports: health, page, admin port, storage and the generated admin token. */
@ExtendWith(DropwizardExtensionsSupport.class)
class FoundationSystemIT {
    private static final Path ROOT = tempDir();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP =
            ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, Map.of()));
    private final HttpClient http = HttpClient.newHttpClient();

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("proxygate-foundation");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOkWithPoolCounts() throws Exception {
        HttpResponse<String> r = get(APP.getLocalPort(), "/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"ok\":true").contains("\"pool\"");
    }

    @Test
    void rootServesTheDashboardPage() throws Exception {
        HttpResponse<String> r = get(APP.getLocalPort(), "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("text/html"));
        assertThat(r.body()).contains("ProxyGate");
    }

    @Test
    void adminPortServesHealthChecksAndMetrics() throws Exception {
        HttpResponse<String> health = get(APP.getAdminPort(), "/healthcheck");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"sqlite\"").contains("\"pool\"");
        HttpResponse<String> metrics = get(APP.getAdminPort(), "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("\"gauges\"");
    }

    @Test
    void sqliteDatabaseIsMigratedInWalMode() throws Exception {
        Path db = ROOT.resolve("data/proxygate.db");
        assertThat(db).exists();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type='table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("request_log", "credential_state", "flyway_schema_history");
            try (ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void generatedAdminTokenIsPrivateAndReusable() throws Exception {
        Path token = ROOT.resolve("data/.admin_token");
        assertThat(token).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(Files.readString(token).trim()).hasSize(64);
    }

    @Test
    void adminPortServesPrometheusTextThatParses() throws Exception {
        for (String path : new String[]{"/prometheus", "/metrics?format=prometheus"}) {
            HttpResponse<String> r = get(APP.getAdminPort(), path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertPrometheusText(r.body());
            assertThat(r.body()).contains("proxygate_inflight").contains("proxygate_pool_chatgpt_account_active");
        }
    }

    /** Every line is a comment or {@code name{labels} value}, and every sample belongs to a declared family. */
    private static void assertPrometheusText(String text) {
        java.util.Set<String> families = new java.util.HashSet<>();
        java.util.regex.Pattern sample = java.util.regex.Pattern.compile(
                "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( [0-9]+)?$");
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                families.add(line.split(" ")[2]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            java.util.regex.Matcher m = sample.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            String name = m.group(1);
            assertThat(families.stream().anyMatch(name::startsWith)).as("family of %s", name).isTrue();
        }
        assertThat(families).isNotEmpty();
    }
}
