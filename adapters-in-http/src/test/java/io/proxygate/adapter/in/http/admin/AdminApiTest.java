package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardClientExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.application.routing.RoutingPlan;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.Secret;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API over real HTTP (Jetty + Jersey on a free port), with the fixture's fakes behind it. */
@ExtendWith(DropwizardExtensionsSupport.class)
class AdminApiTest {
    private static final StringBuilder SEEN = new StringBuilder();
    private static final AdminFixture FIXTURE = new AdminFixture(Optional.of(Secret.of(AdminFixture.ADMIN_TOKEN)));
    private static final DropwizardClientExtension APP = new DropwizardClientExtension(
            append(FIXTURE.components(), new OtherAdminResource()));

    private Http http;

    /** Stands for routes other helpers add under /admin (claude-fallback): the gate must cover them too. */
    @Path("/admin/claude-fallback")
    @Produces("application/json")
    public static final class OtherAdminResource {
        @GET
        public Map<String, Object> get() {
            return Map.of("policy", Map.of("enabled", true));
        }
    }

    @BeforeEach
    void setUp() {
        http = new Http(APP.baseUri(), SEEN);
    }

    // ---------------------------------------------------------------- auth

    @Test
    void withoutATokenEveryAdminPathIsUnauthorized() {
        for (String path : List.of("/admin/status", "/admin/accounts", "/admin/claude-fallback", "/admin/nope",
                "/admin", "/admin;x=1/status", "/admin/status/")) {
            Http.Reply r = http.send("GET", path, null);
            assertThat(r.status()).as(path).isEqualTo(401);
            assertThat(r.json().path("error").asText()).as(path).isEqualTo("unauthorized");
        }
        for (String odd : List.of("//admin/status", "/Admin/status", "/admin%2Fstatus", "/x/../admin/status")) {
            Http.Reply r = http.send("GET", odd, null);
            assertThat(r.status()).as(odd).isGreaterThanOrEqualTo(400);
            assertThat(r.body()).as(odd).doesNotContain("claude_accounts");
        }
        assertThat(http.send("POST", "/admin/ui/oauth-manual-start", "").status()).isEqualTo(401);
    }

    @Test
    void aWrongTokenIsUnauthorized() {
        assertThat(http.send("GET", "/admin/status", null, AdminAuth.HEADER, "wrong-token").status()).isEqualTo(401);
        assertThat(http.send("GET", "/admin/status", null, "Authorization", "Bearer wrong-token").status())
                .isEqualTo(401);
        assertThat(http.send("GET", "/admin/status", null, "Cookie", "proxygate_admin=wrong-token").status())
                .isEqualTo(401);
    }

    @Test
    void theTokenWorksAsHeaderOrBearerButNeverAsTheCookie() {
        assertThat(http.send("GET", "/admin/status", null, AdminAuth.HEADER, AdminFixture.ADMIN_TOKEN).status())
                .isEqualTo(200);
        assertThat(http.send("GET", "/admin/status", null, "Authorization", "Bearer " + AdminFixture.ADMIN_TOKEN)
                .status()).isEqualTo(200);
        // The cookie holds a server-side session id; the raw token there is just a wrong session.
        assertThat(http.send("GET", "/admin/status", null, "Cookie", "proxygate_admin=" + AdminFixture.ADMIN_TOKEN)
                .status()).isEqualTo(401);
        assertThat(http.get("/admin/claude-fallback").status()).isEqualTo(200);
    }

    @Test
    void loginStartsARandomServerSideSessionAndLogoutEndsIt() {
        Http.Reply ok = http.send("POST", "/admin/ui/login", "  " + AdminFixture.ADMIN_TOKEN + "\n");
        assertThat(ok.status()).isEqualTo(204);
        String setCookie = ok.header("Set-Cookie");
        assertThat(setCookie).startsWith("proxygate_admin=").endsWith("; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + AdminSessions.LIFETIME.toSeconds()).doesNotContain(AdminFixture.ADMIN_TOKEN);
        String session = setCookie.substring("proxygate_admin=".length(), setCookie.indexOf(';'));
        assertThat(session).hasSizeGreaterThanOrEqualTo(43);
        Http.Reply second = http.send("POST", "/admin/ui/login", AdminFixture.ADMIN_TOKEN);
        assertThat(second.header("Set-Cookie")).doesNotContain(session);

        String cookie = "proxygate_admin=" + session;
        assertThat(http.send("GET", "/admin/status", null, "Cookie", cookie).status()).isEqualTo(200);
        assertThat(http.send("GET", "/admin/ui/session", null, "Cookie", cookie).json().path("signed_in")
                .asBoolean()).isTrue();

        Http.Reply wrong = http.send("POST", "/admin/ui/login", "not-the-token");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").asText()).isEqualTo("invalid token");
        assertThat(wrong.header("Set-Cookie")).isNull();

        assertThat(http.send("POST", "/admin/ui/login", "x".repeat(1025)).status()).isEqualTo(400);

        Http.Reply out = http.send("POST", "/admin/ui/logout", "", "Cookie", cookie);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("Set-Cookie")).startsWith("proxygate_admin=;").contains("Max-Age=0");
        // A copy of the cookie kept from before the logout is worth nothing now.
        assertThat(http.send("GET", "/admin/status", null, "Cookie", cookie).status()).isEqualTo(401);
        assertThat(http.send("GET", "/admin/ui/session", null, "Cookie", cookie).json().path("signed_in")
                .asBoolean()).isFalse();
    }

    @Test
    void aCookieAloneCannotChangeStateWithoutTheDashboardsHeaderOrASameOriginOrigin() {
        String setCookie = http.send("POST", "/admin/ui/login", AdminFixture.ADMIN_TOKEN).header("Set-Cookie");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String key = "{\"id\":\"csrf-key\",\"type\":\"openai\",\"api_key\":\"sk-test-csrf\"}";

        Http.Reply forged = http.send("POST", "/admin/keys", key, "Cookie", cookie, "Content-Type", "text/plain");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(http.send("POST", "/admin/keys", key, "Cookie", cookie, "Content-Type", "application/json",
                "Origin", "http://127.0.0.1:1").status()).isEqualTo(403);
        assertThat(FIXTURE.directory.files).doesNotContainKey("apikeys/csrf-key.json");
        // Reads need no proof: a cross-site page cannot read the reply anyway.
        assertThat(http.send("GET", "/admin/status", null, "Cookie", cookie).status()).isEqualTo(200);

        Http.Reply fromPage = http.send("POST", "/admin/keys", key, "Cookie", cookie, "Content-Type",
                "application/json", AdminAuthFilter.CSRF_HEADER, "1");
        assertThat(fromPage.status()).isEqualTo(201);
        http.admin("DELETE", "/admin/keys/csrf-key", null);
    }

    @Test
    void sessionsEndAfterTheirLifetimeAndAllAtOnceWhenRevoked() {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        AdminSessions sessions = new AdminSessions(now::get);
        String a = sessions.create();
        String b = sessions.create();
        assertThat(sessions.valid(a)).isTrue();
        now.set(now.get().plus(AdminSessions.LIFETIME));
        assertThat(sessions.valid(a)).isFalse();
        String c = sessions.create();
        sessions.revokeAll();
        assertThat(sessions.valid(b)).isFalse();
        assertThat(sessions.valid(c)).isFalse();
    }

    // ---------------------------------------------------------------- pool

    @Test
    void statusHasTheOriginalsCountsAndOurHealthFacts() {
        JsonNode s = http.get("/admin/status").json();
        assertThat(s.path("accounts").asLong()).isEqualTo(2);
        assertThat(s.path("claude_accounts").asLong()).isEqualTo(1);
        assertThat(s.path("api_keys").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(s.path("version").asText()).isEqualTo("test");
        assertThat(s.path("uptime_seconds").asLong()).isEqualTo(3600);
        assertThat(s.path("token_file").asText()).isEqualTo("/tmp/data/.admin_token");
        assertThat(s.path("token_source").asText()).isEqualTo("/tmp/data/.admin_token");
        assertThat(s.path("problems").get(0).path("file").asText()).isEqualTo("chatgpt/broken.json");
        assertThat(s.path("problems").get(0).path("problem").asText()).contains("not valid JSON");
    }

    @Test
    void accountsAreSortedByEmailWithTheOriginalsFields() {
        JsonNode accounts = http.get("/admin/accounts").json();
        assertThat(accounts).hasSize(2);
        JsonNode alice = accounts.get(0);
        assertThat(alice.path("email").asText()).isEqualTo("alice@example.com");
        assertThat(alice.path("account_id").asText()).isEqualTo("acc-alice");
        assertThat(alice.path("plan_type").asText()).isEqualTo("pro");
        assertThat(alice.path("total_requests").asLong()).isEqualTo(10);
        assertThat(alice.path("total_input_tokens").asLong()).isEqualTo(1000);
        assertThat(alice.path("total_output_tokens").asLong()).isEqualTo(250);
        assertThat(alice.path("total_cost").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(alice.path("disabled").asBoolean()).isFalse();
        assertThat(alice.path("dead").asBoolean()).isFalse();
        assertThat(alice.has("dead_reason")).isFalse();
        assertThat(alice.path("primary_used_pct").asDouble()).isEqualTo(0.425);
        assertThat(alice.path("secondary_used_pct").asDouble()).isEqualTo(0.18);
        assertThat(alice.path("primary_reset_at").asText()).isEqualTo("2025-06-01T12:15:00Z");
        assertThat(alice.path("cooldown_until").asText()).isEqualTo("2025-06-01T12:10:00Z");
        assertThat(alice.path("last_used").asText()).isEqualTo("2025-06-01T11:59:30Z");
        assertThat(alice.path("last_wham_at").asText()).isEqualTo("2025-06-01T11:58:00Z");
        assertThat(alice.path("wham_age_seconds").asLong()).isEqualTo(120);
        assertThat(alice.has("wham_failing")).isFalse();
        assertThat(alice.path("today").path("requests").asLong()).isEqualTo(2);
        assertThat(alice.path("fingerprint").asText()).startsWith("sha256:");

        JsonNode bob = accounts.get(1);
        assertThat(bob.path("dead").asBoolean()).isTrue();
        assertThat(bob.path("dead_reason").asText()).isEqualTo("auth_unauthorized");
        assertThat(bob.has("cooldown_until")).as("past cooldowns are left out").isFalse();
        assertThat(bob.path("wham_fail_count").asInt()).isEqualTo(3);
        assertThat(bob.path("wham_failing").asBoolean()).isTrue();
        assertThat(bob.path("last_wham_err").asText()).isEqualTo("HTTP 401");
        assertThat(bob.path("total_requests").asLong()).isZero();
        assertThat(bob.has("today")).isFalse();
    }

    @Test
    void claudeAccountsAndKeysHaveTheirOwnShapes() {
        JsonNode carol = http.get("/admin/claude-accounts").json().get(0);
        assertThat(carol.path("email").asText()).isEqualTo("carol@example.com");
        assertThat(carol.path("subscription_type").asText()).isEqualTo("max");
        assertThat(carol.path("rate_limit_tier").asText()).isEqualTo("default_claude_max_20x");
        assertThat(carol.path("dead").asBoolean()).isFalse();
        assertThat(carol.path("last_refresh_at").asText()).isEqualTo(AdminFixture.NOW.minusSeconds(7200).toString());
        assertThat(carol.path("last_refresh_err_at").asText()).isEqualTo(AdminFixture.NOW.minusSeconds(30).toString());
        assertThat(carol.path("last_refresh_err").asText()).contains("invalid_grant");
        assertThat(carol.path("refresh_fail_count").asInt()).isEqualTo(2);
        assertThat(http.get("/admin/accounts").json().get(0).has("last_refresh_at"))
                .as("no refresh tried: nothing to show").isFalse();

        JsonNode key = null;
        for (JsonNode k : http.get("/admin/keys").json()) {
            if (k.path("id").asText().equals("openai-1")) {
                key = k;
            }
        }
        assertThat(key).isNotNull();
        assertThat(key.path("name").asText()).isEqualTo("primary");
        assertThat(key.path("type").asText()).isEqualTo("openai");
        assertThat(key.path("base_url").asText()).isEqualTo("http://127.0.0.1:9/v1");
        assertThat(key.path("total_requests").asLong()).isEqualTo(1);
        assertThat(key.has("disabled")).as("omitted when false, as the original").isFalse();
        assertThat(key.has("api_key")).isFalse();
    }

    @Test
    void disableAndEnableWriteTheFileAndAnswerTheOriginalsShape() {
        Http.Reply off = http.admin("POST", "/admin/claude-accounts/carol@example.com/disable", null);
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.json().path("email").asText()).isEqualTo("carol@example.com");
        assertThat(off.json().path("disabled").asBoolean()).isTrue();
        assertThat(FIXTURE.directory.files.get("claude/carol_example.com.json").disabled()).isTrue();
        assertThat(http.get("/admin/claude-accounts").json().get(0).path("disabled").asBoolean()).isTrue();

        Http.Reply on = http.admin("POST", "/admin/claude-accounts/carol@example.com/enable", null);
        assertThat(on.json().path("disabled").asBoolean()).isFalse();
        assertThat(FIXTURE.directory.files.get("claude/carol_example.com.json").disabled()).isFalse();

        Http.Reply keyOff = http.admin("POST", "/admin/keys/openai-1/disable", null);
        assertThat(keyOff.json().path("id").asText()).isEqualTo("openai-1");
        assertThat(keyOff.json().path("disabled").asBoolean()).isTrue();
        http.admin("POST", "/admin/keys/openai-1/enable", null);
    }

    @Test
    void clearCooldownEndsTheCooldownThroughTheRouter() {
        assertThat(http.get("/admin/accounts").json().toString()).contains("cooldown_until");
        Http.Reply reply = http.admin("POST", "/admin/accounts/alice@example.com/clear-cooldown", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("email").asText()).isEqualTo("alice@example.com");
        assertThat(reply.json().path("cleared").asBoolean()).isTrue();
        assertThat(FIXTURE.router.cleared).contains(AdminFixture.ALICE);
        Http.Reply key = http.admin("POST", "/admin/keys/openai-1/clear-cooldown", null);
        assertThat(key.json().path("id").asText()).isEqualTo("openai-1");
        assertThat(key.json().path("cleared").asBoolean()).isFalse();
        assertThat(http.admin("POST", "/admin/claude-accounts/nobody@example.com/clear-cooldown", null).status())
                .isEqualTo(404);
    }

    @Test
    void unknownCredentialsAnswer404WithTheOriginalsTexts() {
        assertThat(http.admin("POST", "/admin/accounts/nobody@example.com/disable", null).json().path("error")
                .asText()).isEqualTo("account not found");
        assertThat(http.admin("DELETE", "/admin/claude-accounts/nobody@example.com", null).json().path("error")
                .asText()).isEqualTo("claude account not found");
        Http.Reply key = http.admin("POST", "/admin/keys/nope/enable", null);
        assertThat(key.status()).isEqualTo(404);
        assertThat(key.json().path("error").asText()).isEqualTo("key not found");
    }

    @Test
    void addingAKeyWritesItAndDeletingRemovesTheFile() {
        Http.Reply added = http.admin("POST", "/admin/keys", "{\"id\":\"anthropic-9\",\"type\":\"anthropic\","
                + "\"api_key\":\"" + AdminFixture.ADDED_KEY_SECRET + "\",\"name\":\"backup\"}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().path("id").asText()).isEqualTo("anthropic-9");
        assertThat(added.json().path("type").asText()).isEqualTo("anthropic");
        Credential stored = FIXTURE.directory.files.get("apikeys/anthropic-9.json");
        assertThat(stored).isInstanceOf(ApiKey.class);
        assertThat(((ApiKey) stored).key().reveal()).isEqualTo(AdminFixture.ADDED_KEY_SECRET);

        assertThat(http.admin("POST", "/admin/keys", "{\"id\":\"anthropic-9\",\"type\":\"anthropic\","
                + "\"api_key\":\"sk-test-other\"}").status()).isEqualTo(409);

        Http.Reply removed = http.admin("DELETE", "/admin/keys/anthropic-9", null);
        assertThat(removed.json().path("id").asText()).isEqualTo("anthropic-9");
        assertThat(removed.json().path("removed").asBoolean()).isTrue();
        assertThat(FIXTURE.directory.files).doesNotContainKey("apikeys/anthropic-9.json");
        assertThat(FIXTURE.directory.writes).contains("delete apikeys/anthropic-9.json");
    }

    @Test
    void badKeysAreRefusedWithAReason() {
        assertThat(error(http.admin("POST", "/admin/keys", "{nope"))).isEqualTo("invalid JSON");
        assertThat(error(http.admin("POST", "/admin/keys", "{\"id\":\"../x\",\"type\":\"openai\",\"api_key\":\"sk-test-1\"}")))
                .contains("id");
        assertThat(error(http.admin("POST", "/admin/keys", "{\"id\":\"k1\",\"type\":\"gemini\",\"api_key\":\"sk-test-1\"}")))
                .contains("type");
        assertThat(error(http.admin("POST", "/admin/keys", "{\"id\":\"k1\",\"type\":\"openai\"}"))).contains("api_key");
        assertThat(error(http.admin("POST", "/admin/keys",
                "{\"id\":\"k1\",\"type\":\"openai\",\"api_key\":\"sk-test-1\",\"base_url\":\"ftp://x\"}")))
                .contains("base_url");
        // A trailing '#' or '?' swallowed the appended API path; user info and plain http off-loopback leak the key.
        for (String url : List.of("http://127.0.0.1:9/steal#", "https://api.example/v1?x=", "https://u:p@api.example/v1",
                "http://internal.example/v1")) {
            Http.Reply r = http.admin("POST", "/admin/keys",
                    "{\"id\":\"k-url\",\"type\":\"openai\",\"api_key\":\"sk-test-1\",\"base_url\":\"" + url + "\"}");
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(error(r)).as(url).contains("base_url");
        }
    }

    @Test
    void refreshFailureIs502AndImportAnswersTheOriginalsShape() {
        Http.Reply refresh = http.admin("POST", "/admin/accounts/alice@example.com/refresh", null);
        assertThat(refresh.status()).isEqualTo(502);
        assertThat(error(refresh)).contains("invalid_grant");
        assertThat(http.admin("POST", "/admin/keys/openai-1/refresh", null).status()).isEqualTo(404);
        Http.Reply refreshed = http.admin("POST", "/admin/claude-accounts/carol@example.com/refresh", null);
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.json().path("expires_at").asText()).isNotEmpty()
                .isEqualTo(refreshed.json().path("refreshed_at").asText());
        assertThat(refreshed.json().path("fingerprint").asText()).startsWith("sha256:");

        assertThat(error(http.admin("POST", "/admin/claude-accounts/import", "not json"))).isEqualTo("invalid JSON");
        assertThat(error(http.admin("POST", "/admin/claude-accounts/import", "{}"))).isEqualTo("missing email field");
        Http.Reply imported = http.admin("POST", "/admin/claude-accounts/import", "{\"email\":\"dave@example.com\"}");
        assertThat(imported.status()).isEqualTo(200);
        assertThat(imported.json().path("email").asText()).isEqualTo("dave@example.com");
        assertThat(imported.json().path("imported").asBoolean()).isTrue();
        assertThat(FIXTURE.directory.files).containsKey("claude/dave_example.com.json");
    }

    // ---------------------------------------------------------------- usage

    @Test
    void usageHasTodayAndTheOriginalsKeys() {
        JsonNode u = http.get("/admin/usage").json();
        assertThat(u.path("today").path("date").asText()).isEqualTo("2025-06-01");
        assertThat(u.path("today").path("requests").asLong()).isEqualTo(6);
        assertThat(u.path("today").path("errors").asLong()).isEqualTo(1);
        assertThat(u.path("today").path("unpriced").asLong()).isEqualTo(1);
        assertThat(u.path("by_account").has("alice@example.com")).isTrue();
        assertThat(u.path("by_account").path("alice@example.com").path("requests").asLong()).isEqualTo(3);
        assertThat(u.path("by_account").has("claude:carol@example.com")).isTrue();
        assertThat(u.path("by_key").has("openai-1")).isTrue();
        assertThat(u.path("by_key").has("vertex-ai")).isTrue();
        JsonNode d = u.path("by_key").path("openai-1");
        assertThat(d.path("total_tokens").asLong()).isEqualTo(45);
        assertThat(d.path("cached_tokens").asLong()).isEqualTo(7);
    }

    @Test
    void costSeparatesRealFromEquivalentCostByModel() {
        JsonNode c = http.get("/admin/usage/cost").json();
        assertThat(c.path("real_cost").decimalValue()).isEqualByComparingTo("0.3");
        assertThat(c.path("equivalent_cost").decimalValue()).isEqualByComparingTo("0.121");
        JsonNode alice = c.path("by_account").get(0);
        assertThat(alice.path("id").asText()).isEqualTo("alice@example.com");
        assertThat(alice.path("requests").asLong()).isEqualTo(3);
        assertThat(alice.path("by_model").get(0).path("model").asText()).isEqualTo("gpt-5");
        assertThat(c.path("by_key").get(0).path("id").asText()).isEqualTo("vertex-ai");
    }

    @Test
    void statsSeriesAndRecentRequests() {
        JsonNode s = http.get("/admin/stats?group_by=model&since=7d").json();
        assertThat(s.path("group_by").asText()).isEqualTo("model");
        assertThat(s.path("since").asText()).isEqualTo("2025-05-25T12:00:00Z");
        JsonNode row = s.path("rows").get(0);
        assertThat(row.path("group").asText()).isEqualTo("gpt-5");
        assertThat(row.path("latency_p50_ms").asLong()).isEqualTo(900);
        assertThat(row.path("latency_p95_ms").asLong()).isEqualTo(2000);
        assertThat(row.path("ttfb_p95_ms").asLong()).isEqualTo(600);
        assertThat(row.path("cached_tokens").asLong()).isEqualTo(100);
        assertThat(error(http.get("/admin/stats?group_by=week"))).contains("group_by");
        assertThat(error(http.get("/admin/stats?since=yesterday-ish"))).contains("since");

        JsonNode series = http.get("/admin/stats/series?bucket=hour&split=credential&since=2025-05-31").json();
        assertThat(series.path("points").get(0).path("t").asLong()).isEqualTo(AdminFixture.NOW.getEpochSecond() - 3600);

        FIXTURE.usage.recent.add(AdminFixture.record("req-1", AdminFixture.ALICE, 200));
        JsonNode recent = http.get("/admin/requests?limit=5&credential=alice@example.com").json();
        assertThat(recent).hasSize(1);
        assertThat(recent.get(0).path("credential").asText()).isEqualTo("chatgpt:alice@example.com");
        assertThat(recent.get(0).path("ttfb_ms").asLong()).isEqualTo(300);
        assertThat(http.get("/admin/requests?credential=key:openai-1").json()).isEmpty();
    }

    @Test
    void pricingStatusRefreshFailureAndUnpriced() {
        assertThat(http.get("/admin/pricing/status").json().path("origin").asText()).isEqualTo("embedded");
        Http.Reply refresh = http.admin("POST", "/admin/pricing/refresh", null);
        assertThat(refresh.status()).isEqualTo(502);
        assertThat(refresh.json().path("error").asText()).contains("unreachable");
        assertThat(refresh.json().path("status").path("origin").asText()).isEqualTo("embedded");
        assertThat(http.get("/admin/pricing/unpriced").json().isArray()).isTrue();
    }

    @Test
    void routingExplanationListsThePickAndWhyOthersWereSkipped() {
        FIXTURE.router.plan = new RoutingPlan(List.of(new RoutingPlan.Candidate(
                FIXTURE.pool.snapshot().entry(AdminFixture.ALICE).orElseThrow().credential(), 0.8, "pro, 57% left")),
                List.of(new RoutingPlan.Skip(AdminFixture.BOB, "needs login: auth_unauthorized")), false);
        JsonNode e = http.get("/admin/routing/explain?api=responses&model=gpt-5&session=s1").json();
        assertThat(e.path("picked").asText()).isEqualTo("chatgpt:alice@example.com");
        assertThat(e.path("session").asText()).isEqualTo("s1");
        List<String> lines = new ArrayList<>();
        e.path("entries").forEach(x -> lines.add(x.path("label").asText() + " " + x.path("verdict").asText() + " "
                + x.path("why").asText()));
        assertThat(lines).contains("alice@example.com picked pro, 57% left",
                "bob@example.com skipped needs login: auth_unauthorized");
        assertThat(lines).anyMatch(l -> l.startsWith("carol@example.com wrong_api"));
        assertThat(error(http.get("/admin/routing/explain?api=images"))).contains("api");
    }

    @Test
    void oauthRoutesAnswerWithUrlsAndErrorsInTheirShapes() {
        Http.Reply start = http.admin("POST", "/admin/ui/oauth-manual-start", null);
        assertThat(start.status()).isEqualTo(200);
        assertThat(start.json().path("authorize_url").asText()).startsWith("https://auth.openai.com/oauth/authorize?");
        Http.Reply bad = http.admin("POST", "/admin/ui/oauth-manual-finish", "{\"code_or_url\":\"short\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(error(bad)).isNotBlank();
        Http.Reply exchange = http.admin("POST", "/admin/ui/oauth-manual-finish",
                "{\"code_or_url\":\"http://localhost:1455/auth/callback?code=abcdefghijkl&state="
                        + FIXTURE.pending.saved.values().iterator().next().state() + "\"}");
        assertThat(exchange.status()).isEqualTo(502);

        Http.Reply claude = http.admin("POST", "/admin/ui/claude-oauth-manual-finish", "{\"code_or_url\":\"x\"}");
        assertThat(claude.status()).isEqualTo(400);
        assertThat(http.admin("POST", "/admin/ui/claude-oauth-manual-start", null).json().path("authorize_url")
                .asText()).contains("claude.ai");
        Http.Reply browser = http.admin("POST", "/admin/ui/oauth-start", null);
        assertThat(browser.status()).as("no free callback port is a local failure").isEqualTo(502);
    }

    // ---------------------------------------------------------------- live events

    @Test
    void theEventStreamStartsWithASnapshotAndDeliversFinishedRequests() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(APP.baseUri() + "/admin/events"))
                .header(AdminAuth.HEADER, AdminFixture.ADMIN_TOKEN).build();
        HttpResponse<InputStream> response = http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(nextEvent(in)).startsWith("snapshot ");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> FIXTURE.events.subscriberCount() > 0);
            FIXTURE.events.started("req-live", AdminFixture.NOW, "/v1/responses", "gpt-5");
            FIXTURE.events.finished(AdminFixture.record("req-live", AdminFixture.ALICE, 200));
            assertThat(nextEvent(in)).startsWith("request_started ").contains("\"id\":\"req-live\"");
            String finished = nextEvent(in);
            assertThat(finished).startsWith("request_finished ").contains("\"model\":\"gpt-5\"");
            synchronized (SEEN) {
                SEEN.append(finished).append('\n');
            }
        }
    }

    /** Reads lines until a blank line; returns "event-name data-json". */
    private static String nextEvent(BufferedReader in) throws Exception {
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
            try {
                String name = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (name != null) {
                            return name + " " + data;
                        }
                        continue;
                    }
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring(6));
                    }
                }
                return "EOF";
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return next.get(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void noAdminResponseEverCarriesASecret() {
        for (String path : List.of("/admin/status", "/admin/accounts", "/admin/claude-accounts", "/admin/keys",
                "/admin/usage", "/admin/usage/cost", "/admin/stats", "/admin/stats?group_by=day",
                "/admin/stats/series", "/admin/requests", "/admin/pricing/status", "/admin/pricing/unpriced",
                "/admin/routing/explain?api=messages", "/", "/assets/app.js")) {
            assertThat(http.get(path).status()).as(path).isLessThan(500);
        }
        http.admin("POST", "/admin/accounts/alice@example.com/disable", null);
        http.admin("POST", "/admin/accounts/alice@example.com/enable", null);
        http.admin("POST", "/admin/keys", "{\"id\":\"scan-key\",\"type\":\"openai\",\"api_key\":\""
                + AdminFixture.ADDED_KEY_SECRET + "\"}");
        http.admin("POST", "/admin/accounts/alice@example.com/refresh", null);
        http.admin("POST", "/admin/claude-accounts/import", "{\"email\":\"dave@example.com\"}");
        http.send("GET", "/admin/status", null, AdminAuth.HEADER, "wrong-" + AdminFixture.KEY_SECRET);
        http.admin("DELETE", "/admin/keys/scan-key", null);

        String everything;
        synchronized (SEEN) {
            everything = SEEN.toString();
        }
        assertThat(everything).contains("fingerprint");
        for (String secret : AdminFixture.SECRETS) {
            // The admin token included: the login cookie carries a session id, never the token.
            assertThat(everything).as("no response may contain a secret").doesNotContain(secret);
        }
    }

    @AfterAll
    static void closeStreams() {
        FIXTURE.api.close();
    }

    private static String error(Http.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(400, 599);
        return reply.json().path("error").asText();
    }

    private static Object[] append(Object[] components, Object extra) {
        Object[] all = java.util.Arrays.copyOf(components, components.length + 1);
        all[components.length] = extra;
        return all;
    }
}
