package io.proxygate.adapter.out.upstream.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.auth.BrowserLogin;
import io.proxygate.application.port.out.BrowserPort;
import io.proxygate.application.auth.DeviceLogin;
import io.proxygate.application.auth.LoginFailed;
import io.proxygate.application.auth.LoginResult;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.auth.LoginSettings;
import io.proxygate.application.auth.ManualLogin;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.PendingLogin;
import io.proxygate.application.testing.InMemoryPendingLogins;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.PlanType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Logins end to end against the mock provider over real HTTP: the real HttpOAuthClient, loopback listener and
 * pending logins kept in memory, with a file-backed pool directory.
 */
class OAuthLoginFlowTest extends MockProviderTest {
    private final ObjectMapper json = new ObjectMapper();
    private final InMemoryPendingLogins pending = new InMemoryPendingLogins();
    private final TestBrowser browser = new TestBrowser();

    private LoginService service(BrowserPort browserPort) {
        LoginSettings settings = LoginSettings.withEndpoints(mock.issuer(), mock.claudeAuthorizeUrl())
                .withCallbackTimeout(Duration.ofSeconds(20))
                .withDevicePolling(Duration.ofMillis(5), Duration.ofMinutes(15));
        return new LoginService(pool, client, pending, new LoopbackCallbackServer(), browserPort, settings, clock,
                new Random(7));
    }

    private LoginService service() {
        return service(BrowserPort.NONE);
    }

    // ---------------------------------------------------------------- manual (no-browser) flow

    @Test
    void chatGptManualLoginFinishedWithPastedRedirectUrlSavesTheAccount() throws Exception {
        LoginService login = service();
        ManualLogin started = login.startManualLogin(OAuthProvider.CHATGPT);

        PendingLogin saved = pending.saved.get(OAuthProvider.CHATGPT);
        assertThat(saved.verifier()).matches("[A-Za-z0-9_-]{43}");
        assertThat(saved.state()).matches("[0-9a-f]{32}");
        assertThat(saved.redirectUri()).isEqualTo("http://localhost:1455/auth/callback");
        assertThat(saved.createdAt()).isEqualTo(T0);
        assertThat(started.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(started.authorizeUrl().toString()).contains("state=" + saved.state());

        String redirect = browser.approve(started.authorizeUrl());
        clock.advance(Duration.ofMinutes(3));
        LoginResult result = login.finishManualLogin(OAuthProvider.CHATGPT, "  " + redirect + "\n");

        assertThat(result.replacedExisting()).isFalse();
        ChatGptAccount account = (ChatGptAccount) result.account();
        assertThat(account.email()).isEqualTo(MockOAuthServer.CHATGPT_EMAIL);
        assertThat(account.accountId()).isEqualTo(MockOAuthServer.CHATGPT_ACCOUNT);
        assertThat(account.plan()).isEqualTo(PlanType.PRO);

        Path file = directory.chatgptFile(MockOAuthServer.CHATGPT_EMAIL);
        assertThat(result.file()).isEqualTo(file.toString());
        assertOwnerOnly(file);
        JsonNode written = directory.read(file);
        assertThat(written.path("email").asText()).isEqualTo(MockOAuthServer.CHATGPT_EMAIL);
        assertThat(written.path("account_id").asText()).isEqualTo(MockOAuthServer.CHATGPT_ACCOUNT);
        assertThat(written.path("plan_type").asText()).isEqualTo("pro");
        assertThat(written.path("access_token").asText()).isEqualTo(account.tokens().accessToken().reveal())
                .contains(".");
        assertThat(written.path("refresh_token").asText()).startsWith("rt_fake_chatgpt_");
        assertThat(written.path("id_token").asText()).isNotBlank();
        assertThat(written.path("expires_at").asText())
                .isEqualTo(T0.plus(Duration.ofMinutes(3)).plusSeconds(3600).toString());
        assertThat(pending.saved).doesNotContainKey(OAuthProvider.CHATGPT);
        assertThat(pool.snapshot().credentials()).containsExactly(account);
    }

    @Test
    void chatGptManualLoginAcceptsTheBareCode() throws Exception {
        LoginService login = service();
        ManualLogin started = login.startManualLogin(OAuthProvider.CHATGPT);
        String code = queryParam(browser.approve(started.authorizeUrl()), "code");

        LoginResult result = login.finishManualLogin(OAuthProvider.CHATGPT, code);

        assertThat(result.account().label()).isEqualTo(MockOAuthServer.CHATGPT_EMAIL);
        assertOwnerOnly(directory.chatgptFile(MockOAuthServer.CHATGPT_EMAIL));
        assertThat(pending.saved).doesNotContainKey(OAuthProvider.CHATGPT);
    }

    @Test
    void secondLoginOfTheSameEmailReplacesTheAccountAndKeepsItsCreationTimeAndExtraFields() throws Exception {
        LoginService login = service();
        login.finishManualLogin(OAuthProvider.CHATGPT,
                browser.approve(login.startManualLogin(OAuthProvider.CHATGPT).authorizeUrl()));
        Path file = directory.chatgptFile(MockOAuthServer.CHATGPT_EMAIL);
        String firstToken = directory.read(file).path("access_token").asText();
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"note\": \"kept by hand\","));

        clock.advance(Duration.ofHours(2));
        mock.chatGptPlan = "plus";
        LoginResult again = login.finishManualLogin(OAuthProvider.CHATGPT, 
                browser.approve(login.startManualLogin(OAuthProvider.CHATGPT).authorizeUrl()));

        assertThat(again.replacedExisting()).isTrue();
        assertThat(again.file()).isEqualTo(file.toString());
        JsonNode written = directory.read(file);
        assertThat(written.path("access_token").asText()).isNotEqualTo(firstToken);
        assertThat(written.path("plan_type").asText()).isEqualTo("plus");
        assertThat(written.path("created_at").asText()).isEqualTo(T0.toString());
        assertThat(written.path("note").asText()).isEqualTo("kept by hand");
        assertOwnerOnly(file);
    }

    @Test
    void claudeManualLoginFinishedWithPastedRedirectUrlSavesTheAccountWithItsProfile() throws Exception {
        LoginService login = service();
        ManualLogin started = login.startManualLogin(OAuthProvider.CLAUDE);
        assertThat(pending.saved.get(OAuthProvider.CLAUDE).redirectUri())
                .isEqualTo("http://localhost:1461/callback");
        assertThat(started.authorizeUrl().toString()).startsWith(mock.claudeAuthorizeUrl() + "?code=true&");

        LoginResult result = login.finishManualLogin(OAuthProvider.CLAUDE, browser.approve(started.authorizeUrl()),
                Optional.empty());

        ClaudeAccount account = (ClaudeAccount) result.account();
        assertThat(account.email()).isEqualTo(MockOAuthServer.CLAUDE_EMAIL);
        assertThat(account.accountId()).isEqualTo(MockOAuthServer.CLAUDE_ACCOUNT_UUID);
        assertThat(account.subscriptionType()).isEqualTo("claude_max");
        assertThat(account.rateLimitTier()).isEqualTo(MockOAuthServer.CLAUDE_TIER);
        Path file = directory.claudeFile(MockOAuthServer.CLAUDE_EMAIL);
        assertOwnerOnly(file);
        JsonNode written = directory.read(file);
        assertThat(written.path("access_token").asText()).startsWith("sk-ant-oat01-fake-");
        assertThat(written.path("refresh_token").asText()).startsWith("sk-ant-ort01-fake-");
        assertThat(written.path("expires_at").asText()).isEqualTo(T0.plusSeconds(28800).toString());
        assertThat(written.path("subscription_type").asText()).isEqualTo("claude_max");
        assertThat(pending.saved).doesNotContainKey(OAuthProvider.CLAUDE);
    }

    @Test
    void claudeManualLoginAcceptsTheBareCodeAndItsCodeHashStateForm() throws Exception {
        LoginService login = service();
        String redirect = browser.approve(login.startManualLogin(OAuthProvider.CLAUDE).authorizeUrl());
        LoginResult bare = login.finishManualLogin(OAuthProvider.CLAUDE, queryParam(redirect, "code"),
                Optional.empty());
        assertThat(bare.account().label()).isEqualTo(MockOAuthServer.CLAUDE_EMAIL);

        redirect = browser.approve(login.startManualLogin(OAuthProvider.CLAUDE).authorizeUrl());
        LoginResult hashed = login.finishManualLogin(OAuthProvider.CLAUDE, 
                queryParam(redirect, "code") + "#" + queryParam(redirect, "state"), Optional.of("other@example.com"));
        assertThat(hashed.account().label()).isEqualTo("other@example.com");
        assertOwnerOnly(directory.claudeFile("other@example.com"));
    }

    @Test
    void pastedUrlWithAnotherStateIsRejectedAndNothingIsWritten() throws Exception {
        LoginService login = service();
        String redirect = browser.approve(login.startManualLogin(OAuthProvider.CHATGPT).authorizeUrl());
        String forged = redirect.replaceFirst("state=[0-9a-f]+", "state=00000000000000000000000000000000");

        LoginFailed failed = catchLoginFailed(() -> login.finishManualLogin(OAuthProvider.CHATGPT, forged));

        assertThat(failed).hasMessage("OAuth state mismatch");
        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.STATE_MISMATCH);
        assertThat(mock.exchangeCalls).hasValue(0);
        assertThat(poolFiles()).isEmpty();
        assertThat(pending.saved).containsKey(OAuthProvider.CHATGPT);
    }

    @Test
    void deniedConsentInAPastedUrlReportsTheOAuthError() throws Exception {
        LoginService login = service();
        mock.consentError = "access_denied";
        String redirect = browser.approve(login.startManualLogin(OAuthProvider.CLAUDE).authorizeUrl());

        LoginFailed failed = catchLoginFailed(() -> login.finishManualLogin(OAuthProvider.CLAUDE, redirect,
                Optional.empty()));

        assertThat(failed).hasMessage("oauth error: access_denied");
        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.DENIED);
        assertThat(poolFiles()).isEmpty();
    }

    @Test
    void pendingLoginOlderThanTenMinutesIsExpiredAndRemoved() throws Exception {
        LoginService login = service();
        String redirect = browser.approve(login.startManualLogin(OAuthProvider.CHATGPT).authorizeUrl());
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        LoginFailed failed = catchLoginFailed(() -> login.finishManualLogin(OAuthProvider.CHATGPT, redirect));

        assertThat(failed).hasMessage("pending OAuth expired (started 10m1s ago)");
        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.PENDING_EXPIRED);
        assertThat(pending.saved).doesNotContainKey(OAuthProvider.CHATGPT);
        assertThat(mock.exchangeCalls).hasValue(0);
        assertThat(poolFiles()).isEmpty();
    }

    @Test
    void finishingWithoutAStartSaysThereIsNoPendingLogin() {
        LoginService login = service();
        assertThat(catchLoginFailed(() -> login.finishManualLogin(OAuthProvider.CHATGPT, "ac_fake_something_long")))
                .hasMessage("no pending ChatGPT OAuth login");
        assertThat(catchLoginFailed(() -> login.finishManualLogin(OAuthProvider.CLAUDE, "claude_code_long_enough",
                Optional.empty())))
                .hasMessage("no pending Claude OAuth login");
    }

    @Test
    void abortForgetsThePendingLoginOfThatProviderOnly() throws Exception {
        LoginService login = service();
        login.startManualLogin(OAuthProvider.CHATGPT);
        login.startManualLogin(OAuthProvider.CLAUDE);

        assertThat(login.abortPending(OAuthProvider.CLAUDE)).isTrue();
        assertThat(login.abortPending(OAuthProvider.CLAUDE)).isFalse();
        assertThat(pending.saved).doesNotContainKey(OAuthProvider.CLAUDE);
        assertThat(pending.saved).containsKey(OAuthProvider.CHATGPT);
    }

    @Test
    void rejectedExchangeLeavesNoAccountFileAndKeepsThePendingLogin() throws Exception {
        LoginService login = service();
        login.startManualLogin(OAuthProvider.CHATGPT);

        LoginFailed failed = catchLoginFailed(
                () -> login.finishManualLogin(OAuthProvider.CHATGPT, "ac_fake_never_issued"));

        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.UPSTREAM);
        assertThat(failed).hasMessage("ChatGPT token exchange failed: ChatGPT token endpoint answered HTTP 400 "
                + "invalid_grant: bad code");
        assertThat(poolFiles()).isEmpty();
        assertThat(pending.saved).containsKey(OAuthProvider.CHATGPT);
        mock.forgive("chatgpt token: unknown or reused code"); // the point of this test
    }

    // ---------------------------------------------------------------- browser flow

    @Test
    void chatGptBrowserLoginCompletesWhenTheBrowserComesBack() throws Exception {
        LoginService login = service();
        BrowserLogin started = login.startBrowserLogin(OAuthProvider.CHATGPT, Optional.empty());
        assertThat(started.callbackPort()).isBetween(1455, 1460);
        assertThat(started.authorizeUrl().toString())
                .contains("redirect_uri=" + enc("http://localhost:" + started.callbackPort() + "/auth/callback"));

        TestBrowser.Page page = browser.visit(browser.approve(started.authorizeUrl()));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("You can close this tab");
        LoginResult result = started.result().get(20, TimeUnit.SECONDS);
        assertThat(result.account().label()).isEqualTo(MockOAuthServer.CHATGPT_EMAIL);
        assertOwnerOnly(directory.chatgptFile(MockOAuthServer.CHATGPT_EMAIL));
        assertPortReleased(started.callbackPort());
    }

    @Test
    void claudeBrowserLoginCompletesWhenTheBrowserComesBack() throws Exception {
        LoginService login = service();
        BrowserLogin started = login.startBrowserLogin(OAuthProvider.CLAUDE, Optional.empty());
        assertThat(started.callbackPort()).isBetween(1461, 1466);

        TestBrowser.Page page = browser.visit(browser.approve(started.authorizeUrl()));

        assertThat(page.status()).isEqualTo(200);
        LoginResult result = started.result().get(20, TimeUnit.SECONDS);
        assertThat(((ClaudeAccount) result.account()).rateLimitTier()).isEqualTo(MockOAuthServer.CLAUDE_TIER);
        assertOwnerOnly(directory.claudeFile(MockOAuthServer.CLAUDE_EMAIL));
    }

    @Test
    void cliBrowserLoginOpensTheBrowserWhichCompletesTheLogin() throws Exception {
        List<URI> shown = new CopyOnWriteArrayList<>();
        BrowserPort actingBrowser = url -> {
            Thread.startVirtualThread(() -> browser.visit(browser.approve(url)));
            return true;
        };

        LoginResult result = service(actingBrowser).loginWithBrowser(OAuthProvider.CHATGPT, Optional.empty(),
                shown::add);

        assertThat(result.account().label()).isEqualTo(MockOAuthServer.CHATGPT_EMAIL);
        assertThat(shown).as("the URL is printed only when no browser opens").isEmpty();
    }

    @Test
    void cliBrowserLoginShowsTheUrlWhenNoBrowserOpens() throws Exception {
        List<URI> shown = new CopyOnWriteArrayList<>();
        LoginResult result = service(BrowserPort.NONE).loginWithBrowser(OAuthProvider.CLAUDE, Optional.empty(), url -> {
            shown.add(url);
            Thread.startVirtualThread(() -> browser.visit(browser.approve(url)));
        });

        assertThat(result.account().label()).isEqualTo(MockOAuthServer.CLAUDE_EMAIL);
        assertThat(shown).hasSize(1);
    }

    @Test
    void cliBrowserLoginWithNoOneToShowTheUrlToFailsAtOnce() throws Exception {
        List<URI> shown = new CopyOnWriteArrayList<>();
        LoginService login = service(BrowserPort.NONE);

        LoginFailed failed = org.junit.jupiter.api.Assertions.assertThrows(LoginFailed.class,
                () -> login.loginWithBrowser(OAuthProvider.CLAUDE, Optional.empty(), shown::add, false));

        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.NO_BROWSER);
        assertThat(shown).isEmpty();
    }

    @Test
    void browserLoginWithDeniedConsentFailsAndWritesNothing() throws Exception {
        LoginService login = service();
        mock.consentError = "access_denied";
        BrowserLogin started = login.startBrowserLogin(OAuthProvider.CHATGPT, Optional.empty());

        TestBrowser.Page page = browser.visit(browser.approve(started.authorizeUrl()));

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("access_denied");
        LoginFailed failed = failureOf(started);
        assertThat(failed).hasMessage("oauth error: access_denied");
        assertThat(mock.exchangeCalls).hasValue(0);
        assertThat(poolFiles()).isEmpty();
    }

    @Test
    void browserCallbackWithAnotherStateIsRefusedAndTheLoginKeepsWaiting() throws Exception {
        LoginService login = service();
        BrowserLogin started = login.startBrowserLogin(OAuthProvider.CLAUDE, Optional.empty());
        String redirect = browser.approve(started.authorizeUrl());

        TestBrowser.Page forged = browser.visit(redirect.replaceFirst("state=[0-9a-f]+", "state=ffffffffffffffffffffffffffffffff"));
        TestBrowser.Page abort = browser.visit("http://localhost:" + started.callbackPort() + "/callback?error=access_denied");

        assertThat(forged.status()).isEqualTo(400);
        assertThat(abort.status()).isEqualTo(400);
        assertThat(abort.body()).doesNotContain("Login received");
        assertThat(started.result()).as("a local page cannot abort the login").isNotDone();
        assertThat(mock.exchangeCalls).hasValue(0);

        TestBrowser.Page real = browser.visit(redirect);
        assertThat(real.body()).contains("Login received");
        assertThat(started.result().get(20, TimeUnit.SECONDS).account().label())
                .isEqualTo(MockOAuthServer.CLAUDE_EMAIL);
    }

    @Test
    void callbackWithoutCodeIsAnswered400AndTheLoginKeepsWaiting() throws Exception {
        LoginService login = service();
        BrowserLogin started = login.startBrowserLogin(OAuthProvider.CHATGPT, Optional.empty());
        String redirect = browser.approve(started.authorizeUrl());

        TestBrowser.Page stray = browser.visit("http://localhost:" + started.callbackPort() + "/auth/callback");
        assertThat(stray.status()).isEqualTo(400);
        assertThat(stray.body()).contains("keeps waiting");
        assertThat(started.result()).isNotDone();

        browser.visit(redirect);
        assertThat(started.result().get(20, TimeUnit.SECONDS).account().label())
                .isEqualTo(MockOAuthServer.CHATGPT_EMAIL);
    }

    @Test
    void browserLoginTimesOutWhenNobodyComesBack() throws Exception {
        LoginSettings quick = LoginSettings.withEndpoints(mock.issuer(), mock.claudeAuthorizeUrl())
                .withCallbackTimeout(Duration.ofSeconds(1));
        LoginService login = new LoginService(pool, client, pending, new LoopbackCallbackServer(), BrowserPort.NONE,
                quick, clock, new Random(7));
        BrowserLogin started = login.startBrowserLogin(OAuthProvider.CHATGPT, Optional.empty());

        LoginFailed failed = failureOf(started);

        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.TIMED_OUT);
        assertThat(failed).hasMessage("no ChatGPT OAuth callback within 1s; start the login again");
        assertPortReleased(started.callbackPort());
    }

    // ---------------------------------------------------------------- device code

    @Test
    void deviceCodeLoginPollsUntilApprovedThenSavesTheAccount() throws Exception {
        LoginService login = service();
        List<DeviceLogin> shown = new CopyOnWriteArrayList<>();

        LoginResult result = login.loginChatGptWithDeviceCode(shown::add);

        assertThat(shown).singleElement().satisfies(d -> {
            assertThat(d.userCode()).isEqualTo("FAKE-CODE");
            assertThat(d.verificationUrl()).isEqualTo(URI.create(mock.issuer() + "/codex/device"));
            assertThat(d.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        });
        assertThat(mock.devicePolls).hasValue(3);
        assertThat(result.account().label()).isEqualTo(MockOAuthServer.CHATGPT_EMAIL);
        assertOwnerOnly(directory.chatgptFile(MockOAuthServer.CHATGPT_EMAIL));
    }

    @Test
    void deviceCodeLoginOnAServerWithoutItSaysSo() {
        mock.deviceLoginEnabled = false;
        LoginFailed failed = catchLoginFailed(() -> service().startChatGptDeviceLogin());
        assertThat(failed).hasMessage("ChatGPT device code request failed: device code login is not enabled on "
                + "this server; use the browser or --no-browser login");
    }

    @Test
    void claimsMissingFromTheAccessTokenAreReadFromTheIdToken() throws Exception {
        mock.emailOnlyInIdToken = true;
        LoginService login = service();
        LoginResult result = login.finishManualLogin(OAuthProvider.CHATGPT, 
                browser.approve(login.startManualLogin(OAuthProvider.CHATGPT).authorizeUrl()));
        assertThat(result.account().label()).isEqualTo(MockOAuthServer.CHATGPT_EMAIL);
    }

    // ---------------------------------------------------------------- helpers

    private interface Call {
        void run() throws Exception;
    }

    private static LoginFailed catchLoginFailed(Call call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(LoginFailed.class);
        return (LoginFailed) thrown;
    }

    private static LoginFailed failureOf(BrowserLogin login) {
        Throwable thrown = catchThrowable(() -> login.result().get(20, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(LoginFailed.class);
        return (LoginFailed) thrown.getCause();
    }

    private static void assertOwnerOnly(Path file) throws IOException {
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    private static void assertPortReleased(int port) {
        // the listener is closed just after the result completes; a new bind proves the port is free again
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        });
    }

    private List<Path> poolFiles() throws IOException {
        Path root = tmp.resolve("pool");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static String queryParam(String url, String name) {
        String query = URI.create(url).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no " + name + " in " + url);
    }

    private static String enc(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
