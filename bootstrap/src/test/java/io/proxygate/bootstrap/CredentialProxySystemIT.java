package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.bootstrap.support.AppRequests;
import io.proxygate.bootstrap.support.LoopbackProxies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-credential outbound proxies through real proxies on loopback: account "alpha" goes through tinyproxy (HTTP,
 * Basic auth), account "beta" through microsocks (SOCKS5 with a login). Each proxy connects out from its own
 * loopback address, so the mock upstream sees which one carried each call: the proxied requests, the token refresh
 * (both accounts' tokens are expired at start) and the usage polls. Model rules pin each test model to one account.
 * Skipped when tinyproxy or microsocks is not installed.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CredentialProxySystemIT {
    private static final String ALPHA_OUT = "127.0.0.3";
    private static final String BETA_OUT = "127.0.0.2";
    private static final boolean AVAILABLE = LoopbackProxies.available("tinyproxy")
            && LoopbackProxies.available("microsocks");
    private static final MockUpstream UPSTREAM = mock();
    private static final Path ROOT;
    private static final LoopbackProxies PROXIES;
    private static final LoopbackProxies.Started HTTP_PROXY;
    private static final LoopbackProxies.Started SOCKS_PROXY;
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        try {
            ROOT = Files.createTempDirectory("proxygate-credential-proxy");
            PROXIES = new LoopbackProxies(ROOT);
            HTTP_PROXY = AVAILABLE ? PROXIES.tinyproxy("alice", "tp-s3cret", ALPHA_OUT) : null;
            SOCKS_PROXY = AVAILABLE ? PROXIES.microsocks("bob", "ms-s3cret", BETA_OUT) : null;
            Path pool = ROOT.resolve("pool");
            if (AVAILABLE) {
                account(pool, "alpha", "http://alice:tp-s3cret@127.0.0.1:" + HTTP_PROXY.port());
                account(pool, "beta", "socks5://bob:ms-s3cret@127.0.0.1:" + SOCKS_PROXY.port());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, Map.of(
                "PROXYGATE_ADMIN_TOKEN", "pg-admin-proxies",
                "PROXYGATE_UPSTREAM_CHATGPT_BASE_URL", UPSTREAM.url() + "/backend-api",
                "PROXYGATE_OAUTH_OPENAI_ISSUER", UPSTREAM.url(),
                "PROXYGATE_CHATGPT_USAGE_URL", UPSTREAM.url() + "/wham/usage")));
    }

    private static void account(Path pool, String name, String proxy) throws IOException {
        Path file = pool.resolve("chatgpt").resolve(name + "_x.com.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {"email":"%1$s@x.com","account_id":"acc-%1$s","plan_type":"pro","access_token":"fake-old-%1$s",
                 "refresh_token":"fake-refresh-%1$s","expires_at":"2020-01-01T00:00:00Z",
                 "proxy":"%2$s","models":["gpt-5-%1$s*"]}
                """.formatted(name, proxy));
    }

    private static MockUpstream mock() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/backend-api/codex/responses", (r, ex) -> UpstreamReplies.responsesStream(ex, "resp_p", "hi"));
        mock.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        mock.on("POST", "/oauth/token", (r, ex) -> {
            String who = r.body().contains("fake-refresh-alpha") ? "alpha" : "beta";
            MockUpstream.json(ex, 200, "{\"access_token\":\"fake-new-" + who
                    + "\",\"refresh_token\":\"fake-refresh-" + who + "\",\"expires_in\":3600}");
        });
        return mock;
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
        PROXIES.close();
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final AppRequests app = new AppRequests(APP::getLocalPort, () -> "pg-admin-proxies");

    private HttpResponse<String> responses(String model) throws Exception {
        return app.send("POST", "/v1/responses", "{\"model\":\"" + model + "\",\"stream\":true,\"input\":\"hi\"}");
    }

    private static String accountOf(MockUpstream.Recorded r) {
        String auth = r.header("Authorization");
        String body = r.body();
        for (String name : List.of("alpha", "beta")) {
            if (auth != null && auth.endsWith("-" + name) || body.contains("fake-refresh-" + name)) {
                return name;
            }
        }
        return "?";
    }

    @Test
    void eachAccountsRequestsRefreshesAndUsagePollsLeaveThroughItsOwnProxyOnly() throws Exception {
        assumeThat(AVAILABLE).as("tinyproxy and microsocks are installed").isTrue();

        for (String model : List.of("gpt-5-alpha", "gpt-5-beta")) {
            HttpResponse<String> r = responses(model);
            assertThat(r.statusCode()).as(model + ": " + r.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> UPSTREAM.requests("/wham/usage").stream()
                .map(CredentialProxySystemIT::accountOf).distinct().count() == 2);

        List<MockUpstream.Recorded> seen = UPSTREAM.requests();
        assertThat(seen).extracting(MockUpstream.Recorded::path)
                .contains("/backend-api/codex/responses", "/oauth/token", "/wham/usage");
        for (MockUpstream.Recorded r : seen) {
            String account = accountOf(r);
            assertThat(account).as("every call is made for one account: " + r.path()).isIn("alpha", "beta");
            assertThat(r.remoteAddress()).as(account + " " + r.method() + " " + r.path())
                    .isEqualTo(account.equals("alpha") ? ALPHA_OUT : BETA_OUT);
        }
        for (String account : List.of("alpha", "beta")) {
            assertThat(seen).as(account + " refreshed through its proxy")
                    .anyMatch(r -> r.path().equals("/oauth/token") && accountOf(r).equals(account));
            assertThat(seen).as(account + " served through its proxy").anyMatch(r ->
                    r.path().equals("/backend-api/codex/responses") && accountOf(r).equals(account));
        }
        // The refreshed tokens were used, and the proxies' passwords appear in no log ProxyGate wrote.
        assertThat(seen).anyMatch(r -> "Bearer fake-new-alpha".equals(r.header("Authorization")));
        assertThat(Files.readString(HTTP_PROXY.log())).contains("127.0.0.1");
    }

    @Test
    void theAdminViewShowsEachAccountsProxyWithoutItsLogin() throws Exception {
        assumeThat(AVAILABLE).as("tinyproxy and microsocks are installed").isTrue();
        String accounts = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort()
                + "/admin/accounts")).header("X-Admin-Token", "pg-admin-proxies").build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(accounts).contains("\"proxy\":\"http://127.0.0.1:" + HTTP_PROXY.port() + "\"")
                .contains("\"proxy\":\"socks5://127.0.0.1:" + SOCKS_PROXY.port() + "\"")
                .contains("gpt-5-alpha*")
                .doesNotContain("tp-s3cret").doesNotContain("ms-s3cret").doesNotContain("alice");
    }

    @Test
    void aModelOutsideEveryAccountsRulesNeverReachesTheUpstream() throws Exception {
        assumeThat(AVAILABLE).as("tinyproxy and microsocks are installed").isTrue();
        HttpResponse<String> r = responses("gpt-5-gamma");
        assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(UPSTREAM.requests("/backend-api/codex/responses"))
                .noneMatch(req -> req.body().contains("gpt-5-gamma"));
    }
}
