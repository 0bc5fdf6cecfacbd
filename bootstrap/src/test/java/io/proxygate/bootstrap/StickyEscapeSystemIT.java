package io.proxygate.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A conversation pinned to a slow account leaves it on a fresh turn, but a turn continuing a previous response
 * stays (only that account can read it). Pool: ChatGPT accounts "alpha" (pro, the first pick) and "beta" (plus);
 * the mock upstream holds alpha's response head back for longer than {@code [routing] sticky_max_ttft}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class StickyEscapeSystemIT {
    private static final String ADMIN_TOKEN = "pg-admin-sticky-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SERIAL = new AtomicInteger();
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-sticky", PoolFiles::alphaAndBeta);
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, ProxyGateRunner.upstreamsAt(UPSTREAM.url(),
                Map.of("PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                        "PROXYGATE_ROUTING_STICKY_MAX_TTFT", "300ms",
                        "PROXYGATE_OAUTH_OPENAI_ISSUER", UPSTREAM.url()))));
    }

    private static MockUpstream start() {
        MockUpstream mock = ProxyGateRunner.upstreamWithEmptyUsage();
        mock.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            String account = r.header("chatgpt-account-id");
            if ("acc-alpha".equals(account)) {
                try {
                    Thread.sleep(700); // the slow account: its head comes late
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            UpstreamReplies.responsesStream(ex, "resp_" + account + "_" + SERIAL.incrementAndGet(), "ok");
        });
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> ADMIN_TOKEN, "session_id", "conv-1");

    private String lastAccount() {
        return UPSTREAM.requests("/backend-api/codex/responses").getLast().header("chatgpt-account-id");
    }

    private static String responseId(String body) {
        int at = body.indexOf("\"id\":\"resp_");
        return body.substring(at + 6, body.indexOf('"', at + 6));
    }

    @Test
    void aFreshTurnLeavesTheSlowPinnedAccountButAContinuedResponseStays() throws Exception {
        HttpResponse<String> first = app.send("POST", "/v1/responses", "{\"model\":\"gpt-5\",\"input\":\"hi\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(lastAccount()).as("the pro account is the first pick").isEqualTo("acc-alpha");
        String previous = responseId(first.body());

        // Bound to alpha by previous_response_id: stays, however slow alpha is.
        HttpResponse<String> continued = app.send("POST", "/v1/responses",
                "{\"model\":\"gpt-5\",\"input\":\"more\",\"previous_response_id\":\"" + previous + "\"}");
        assertThat(continued.statusCode()).isEqualTo(200);
        assertThat(lastAccount()).isEqualTo("acc-alpha");

        // A fresh turn of the same conversation is free to move, and does.
        HttpResponse<String> fresh = app.send("POST", "/v1/responses", "{\"model\":\"gpt-5\",\"input\":\"again\"}");
        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(lastAccount()).isEqualTo("acc-beta");

        // The request log says why it moved, with the averages.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode rows = JSON.readTree(app.send("GET", "/admin/requests", null).body());
            assertThat(rows.findValuesAsText("routing_note")).anySatisfy(note -> assertThat(note)
                    .contains("moved from chatgpt:alpha@x.com: TTFT average")
                    .contains("over 0.3 s").contains("TTFT avg"));
        });
        // The explanation shows the averages too; the conversation now lives on beta.
        JsonNode explained = JSON.readTree(app.send("GET", "/admin/routing/explain?api=responses&session=conv-1",
                null).body());
        assertThat(explained.toString()).contains("TTFT avg");
        assertThat(explained.path("pinned").asBoolean()).isTrue();
    }
}
