package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.AppRequests;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code [[routing.error_rules]]} end to end: account "first" (priority 1, tried first) answers 400 with
 * "overloaded" in the body; the operator's rule turns that into a failover plus a 5-minute cooldown, so the request
 * is served by "second", and the rule's name shows in the cooldown reason, the explanation and the request log.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErrorRulesSystemIT {
    private static final String ADMIN_TOKEN = "pg-admin-error-rules";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MockUpstream UPSTREAM = mock();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;
    private static Path pool;

    static {
        Path root = PoolFiles.tempRoot("proxygate-error-rules", poolDir -> {
            Path chatgpt = poolDir.resolve("chatgpt");
            Files.createDirectories(chatgpt);
            for (String name : new String[] {"first", "second"}) {
                Files.writeString(chatgpt.resolve(name + "_x.com.json"), """
                        {"email":"%1$s@x.com","account_id":"acc-%1$s","plan_type":"pro",
                         "access_token":"fake-access-%1$s","refresh_token":"fake-refresh",
                         "expires_at":"2099-12-31T00:00:00Z","priority":%2$d}
                        """.formatted(name, name.equals("first") ? 1 : 0));
            }
        });
        pool = root.resolve("pool");
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, """
                [[routing.error_rules]]
                name = "overloaded-400"
                status = 400
                body_contains = "Overloaded"
                action = "cooldown"
                for = "5m"

                [[routing.error_rules]]
                status = 400
                body_regex = "quota (exceeded|exhausted)"
                action = "relay"
                """, ProxyGateRunner.upstreamsAt(UPSTREAM.url(), Map.of("PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN))));
    }

    private static MockUpstream mock() {
        MockUpstream mock = ProxyGateRunner.upstreamWithEmptyUsage();
        mock.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            if ("Bearer fake-access-first".equals(r.header("Authorization"))) {
                MockUpstream.json(ex, 400, "{\"error\":{\"message\":\"Upstream is overloaded, try again\"}}");
            } else {
                UpstreamReplies.responsesStream(ex, "resp_second", "served");
            }
        });
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> ADMIN_TOKEN);

    private CredentialStatus status(String email) {
        return ((ProxyGateApplication) APP.getApplication()).wiring().router().statuses().stream()
                .filter(s -> s.id().value().endsWith(email)).findFirst().orElseThrow();
    }

    @Test
    void anOverloadedFourHundredFailsOverAndCoolsTheAccountNamingTheRule() throws Exception {
        HttpResponse<String> r = app.send("POST", "/v1/responses",
                "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("resp_second");
        assertThat(UPSTREAM.requests("/backend-api/codex/responses"))
                .extracting(q -> q.header("Authorization"))
                .containsExactly("Bearer fake-access-first", "Bearer fake-access-second");

        CredentialStatus first = status("first@x.com");
        assertThat(first.cooldownUntil()).hasValueSatisfying(until ->
                assertThat(until).isAfter(Instant.now().plus(Duration.ofMinutes(4))));
        assertThat(first.cooldownReason()).hasValueSatisfying(reason -> assertThat(reason).contains("overloaded-400"));
        assertThat(status("second@x.com").cooldownUntil()).isEmpty();

        // The cooled account is left out, and the explanation says which rule put it there.
        String explain = app.send("GET", "/admin/routing/explain?api=responses&model=gpt-5", null).body();
        assertThat(explain).contains("overloaded-400");
        assertThat(app.send("POST", "/v1/responses", "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}")
                .statusCode()).isEqualTo(200);
        assertThat(UPSTREAM.requests("/backend-api/codex/responses")).hasSize(3)
                .last().extracting(q -> q.header("Authorization")).isEqualTo("Bearer fake-access-second");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode logged = JSON.readTree(app.send("GET", "/admin/requests?limit=10", null).body());
            assertThat(logged.toString()).contains("error rule \\\"overloaded-400\\\" fired");
        });
    }

    @Test
    void theAdminApiEditsControlsByRewritingTheFileAtomically() throws Exception {
        Path file = pool.resolve("chatgpt").resolve("second_x.com.json");
        HttpResponse<String> r = app.send("POST", "/admin/accounts/second@x.com/controls",
                "{\"proxy\":\"http://u:pw-secret@127.0.0.1:9\",\"max_concurrent\":3,\"models\":[\"gpt-*\"],"
                        + "\"exclude_models\":\"gpt-4*\",\"priority\":-1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("http://127.0.0.1:9").doesNotContain("pw-secret");
        String written = Files.readString(file);
        assertThat(written).contains("\"proxy\": \"http://u:pw-secret@127.0.0.1:9\"").contains("\"max_concurrent\": 3")
                .contains("gpt-4*").contains("\"priority\": -1").contains("fake-access-second");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                app.send("GET", "/admin/accounts", null).body()).contains("\"max_concurrent\":3")
                .doesNotContain("pw-secret"));

        assertThat(app.send("POST", "/admin/accounts/second@x.com/controls", "{\"proxy\":\"ftp://x:y@h:1\"}")
                .statusCode()).isEqualTo(400);
        assertThat(app.send("POST", "/admin/accounts/nobody@x.com/controls", "{}").statusCode()).isEqualTo(404);

        // Back as it was, for the other tests here: every control removed from the file.
        assertThat(app.send("POST", "/admin/accounts/second@x.com/controls",
                "{\"proxy\":\"\",\"max_concurrent\":0,\"models\":[],\"exclude_models\":[],\"priority\":0}")
                .statusCode()).isEqualTo(200);
        assertThat(Files.readString(file)).doesNotContain("proxy").doesNotContain("max_concurrent")
                .doesNotContain("models").doesNotContain("priority");
    }
}
