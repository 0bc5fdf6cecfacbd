package io.proxygate.adapter.out.upstream.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.Pkce;

import io.proxygate.testsupport.FakeJwt;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A real-HTTP stand-in for auth.openai.com, claude.ai's authorize page, console.anthropic.com's token endpoint and
 * api.anthropic.com's profile. It checks what a real provider would (client id, redirect URI, PKCE challenge against
 * the verifier, state, grant types) and records every violation in {@link #problems()}; tests assert it stays empty.
 */
final class MockOAuthServer implements AutoCloseable {
    static final String CHATGPT_EMAIL = "chatgpt-user@example.com";
    static final String CHATGPT_ACCOUNT = "acct-fake-0001";
    static final String CLAUDE_EMAIL = "claude-user@example.com";
    static final String CLAUDE_ACCOUNT_UUID = "uuid-fake-0002";
    static final String CLAUDE_TIER = "default_claude_max_20x";
    private static final Pattern CHATGPT_REDIRECT = Pattern.compile("http://localhost:14(5[5-9]|60)/auth/callback");
    private static final Pattern CLAUDE_REDIRECT = Pattern.compile("http://localhost:146[1-6]/callback");

    private record IssuedCode(String provider, String redirectUri, String challenge, String state) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();
    private final Set<String> chatGptRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> claudeRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> claudeAccessTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger serial = new AtomicInteger();

    final AtomicInteger exchangeCalls = new AtomicInteger();
    final AtomicInteger refreshCalls = new AtomicInteger();
    final AtomicInteger profileCalls = new AtomicInteger();
    final AtomicInteger devicePolls = new AtomicInteger();

    /** When set, the authorize page redirects back with {@code error=<value>} instead of a code. */
    volatile String consentError;
    volatile String chatGptPlan = "pro";
    volatile boolean emailOnlyInIdToken;
    /** When false, refresh replies carry no refresh_token (the old one stays valid). */
    volatile boolean rotateRefreshTokens = true;
    /** When non-zero, refreshes answer this status with {@link #refreshFailureBody}. */
    volatile int refreshFailureStatus;
    volatile String refreshFailureBody = "";
    /** When set, refresh replies wait for it (lets callers pile up on one refresh). */
    volatile CountDownLatch refreshGate;
    volatile boolean deviceLoginEnabled = true;
    /** How many device polls answer "pending" (403) before the approval. */
    final AtomicInteger devicePendingPolls = new AtomicInteger(2);

    private MockOAuthServer(HttpServer server) {
        this.server = server;
    }

    static MockOAuthServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        MockOAuthServer mock = new MockOAuthServer(http);
        http.createContext("/", mock::route);
        http.setExecutor(Executors.newCachedThreadPool());
        http.start();
        return mock;
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    URI issuer() {
        return base();
    }

    URI claudeAuthorizeUrl() {
        return URI.create(base() + "/claude/oauth/authorize");
    }

    URI anthropicTokenUrl() {
        return URI.create(base() + "/v1/oauth/token");
    }

    OAuthSettings settings() {
        return new OAuthSettings(issuer(), claudeAuthorizeUrl(), anthropicTokenUrl(), base(),
                java.time.Duration.ofSeconds(10));
    }

    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Removes one expected objection (asserting it was raised), for tests that provoke it on purpose. */
    void forgive(String problem) {
        if (!problems.remove(problem)) {
            throw new AssertionError("the mock did not object with \"" + problem + "\" but with " + problems());
        }
    }

    /** Registers a refresh token as live, as if issued at an earlier login. */
    String liveChatGptRefreshToken() {
        String token = "rt_fake_chatgpt_" + serial.incrementAndGet();
        chatGptRefreshTokens.add(token);
        return token;
    }

    String liveClaudeRefreshToken() {
        String token = "sk-ant-ort01-fake-" + serial.incrementAndGet();
        claudeRefreshTokens.add(token);
        return token;
    }

    boolean isLiveChatGptRefreshToken(String token) {
        return chatGptRefreshTokens.contains(token);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    // ---------------------------------------------------------------- routing

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (method + " " + path) {
                case "GET /oauth/authorize" -> authorize(exchange, "chatgpt");
                case "GET /claude/oauth/authorize" -> authorize(exchange, "claude");
                case "POST /oauth/token" -> chatGptToken(exchange);
                case "POST /v1/oauth/token" -> claudeToken(exchange);
                case "GET /api/oauth/profile" -> claudeProfile(exchange);
                case "POST /api/accounts/deviceauth/usercode" -> deviceUserCode(exchange);
                case "POST /api/accounts/deviceauth/token" -> deviceToken(exchange);
                default -> send(exchange, 404, "{\"error\":\"not_found\"}");
            }
        } catch (Exception e) {
            problem("mock crashed: " + e);
        }
    }

    private void authorize(HttpExchange exchange, String provider) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        boolean chatgpt = provider.equals("chatgpt");
        int before = problems.size();
        expect(q, "response_type", "code");
        expect(q, "client_id", chatgpt ? OAuthProvider.CHATGPT.clientId() : OAuthProvider.CLAUDE.clientId());
        expect(q, "scope", chatgpt ? OAuthProvider.CHATGPT.scope() : OAuthProvider.CLAUDE.scope());
        expect(q, "code_challenge_method", "S256");
        if (chatgpt) {
            expect(q, "id_token_add_organizations", "true");
            expect(q, "codex_cli_simplified_flow", "true");
            expect(q, "originator", "codex_cli_rs");
            expect(q, "prompt", "login");
            expect(q, "max_age", "0");
        } else {
            expect(q, "code", "true");
        }
        String redirect = q.getOrDefault("redirect_uri", "");
        if (!(chatgpt ? CHATGPT_REDIRECT : CLAUDE_REDIRECT).matcher(redirect).matches()) {
            problem("authorize: unexpected redirect_uri " + redirect);
        }
        if (!q.getOrDefault("code_challenge", "").matches("[A-Za-z0-9_-]{43}")) {
            problem("authorize: code_challenge is not base64url-nopad SHA-256");
        }
        String state = q.getOrDefault("state", "");
        if (!state.matches("[0-9a-f]{32}")) {
            problem("authorize: state is not 16 bytes of hex: " + state);
        }
        if (problems.size() != before) {
            send(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String location;
        if (consentError != null) {
            location = redirect + "?error=" + enc(consentError) + "&error_description=" + enc("The user said no")
                    + "&state=" + enc(state);
        } else {
            String code = (chatgpt ? "ac_fake_" : "claude_code_fake_") + serial.incrementAndGet() + "-x/y+z";
            codes.put(code, new IssuedCode(provider, redirect, q.get("code_challenge"), state));
            location = redirect + "?code=" + enc(code) + "&scope=" + enc("openid profile") + "&state=" + enc(state);
        }
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private void chatGptToken(HttpExchange exchange) throws IOException, InterruptedException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            problem("ChatGPT token: Content-Type " + contentType);
        }
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        expect(f, "client_id", OAuthProvider.CHATGPT.clientId());
        switch (f.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                exchangeCalls.incrementAndGet();
                IssuedCode issued = redeem(f.get("code"), "chatgpt", f.get("redirect_uri"), f.get("code_verifier"));
                if (issued == null) {
                    send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad code\"}");
                    return;
                }
                send(exchange, 200, json.writeValueAsString(chatGptTokens(true)));
            }
            case "refresh_token" -> {
                if (answeredWithRefreshFailure(exchange)) {
                    return;
                }
                String old = f.getOrDefault("refresh_token", "");
                if (!chatGptRefreshTokens.contains(old)) {
                    send(exchange, 401, "{\"error\":{\"message\":\"Your refresh token has already been used\","
                            + "\"type\":\"invalid_request_error\",\"code\":\"refresh_token_reused\"}}");
                    return;
                }
                ObjectNode reply = chatGptTokens(rotateRefreshTokens);
                if (rotateRefreshTokens) {
                    chatGptRefreshTokens.remove(old);
                } else {
                    reply.remove("id_token");
                }
                send(exchange, 200, json.writeValueAsString(reply));
            }
            default -> {
                problem("ChatGPT token: grant_type " + f.get("grant_type"));
                send(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            }
        }
    }

    private ObjectNode chatGptTokens(boolean withRefresh) {
        Instant exp = Instant.now().plusSeconds(3600);
        int n = serial.incrementAndGet();
        ObjectNode reply = json.createObjectNode();
        reply.put("access_token", FakeJwt.accessToken(CHATGPT_EMAIL, CHATGPT_ACCOUNT, chatGptPlan, exp,
                "fake-access-" + n, !emailOnlyInIdToken));
        reply.put("id_token", FakeJwt.idToken(CHATGPT_EMAIL, CHATGPT_ACCOUNT, chatGptPlan, exp));
        if (withRefresh) {
            String refresh = "rt_fake_chatgpt_" + n;
            chatGptRefreshTokens.add(refresh);
            reply.put("refresh_token", refresh);
        }
        reply.put("expires_in", 3600);
        reply.put("token_type", "Bearer");
        return reply;
    }

    private void claudeToken(HttpExchange exchange) throws IOException, InterruptedException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            problem("Claude token: Content-Type " + contentType);
        }
        JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
        if (!OAuthProvider.CLAUDE.clientId().equals(body.path("client_id").asText())) {
            problem("Claude token: client_id " + body.path("client_id"));
        }
        switch (body.path("grant_type").asText()) {
            case "authorization_code" -> {
                exchangeCalls.incrementAndGet();
                IssuedCode issued = redeem(body.path("code").asText(), "claude", body.path("redirect_uri").asText(),
                        body.path("code_verifier").asText());
                if (issued != null && !issued.state().equals(body.path("state").asText())) {
                    problem("Claude token: state differs from the authorize request's");
                    issued = null;
                }
                if (issued == null) {
                    send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid code\"}");
                    return;
                }
                send(exchange, 200, json.writeValueAsString(claudeTokens(true)));
            }
            case "refresh_token" -> {
                if (answeredWithRefreshFailure(exchange)) {
                    return;
                }
                String old = body.path("refresh_token").asText();
                if (!claudeRefreshTokens.contains(old)) {
                    send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Refresh token not found or invalid\"}");
                    return;
                }
                if (rotateRefreshTokens) {
                    claudeRefreshTokens.remove(old);
                }
                send(exchange, 200, json.writeValueAsString(claudeTokens(rotateRefreshTokens)));
            }
            default -> {
                problem("Claude token: grant_type " + body.path("grant_type"));
                send(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            }
        }
    }

    private ObjectNode claudeTokens(boolean withRefresh) {
        int n = serial.incrementAndGet();
        String access = "sk-ant-oat01-fake-access-" + n;
        claudeAccessTokens.add(access);
        ObjectNode reply = json.createObjectNode();
        reply.put("token_type", "Bearer");
        reply.put("access_token", access);
        reply.put("expires_in", 28800);
        if (withRefresh) {
            String refresh = "sk-ant-ort01-fake-refresh-" + n;
            claudeRefreshTokens.add(refresh);
            reply.put("refresh_token", refresh);
        }
        reply.put("scope", OAuthProvider.CLAUDE.scope());
        return reply;
    }

    private void claudeProfile(HttpExchange exchange) throws IOException {
        profileCalls.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String beta = exchange.getRequestHeaders().getFirst("anthropic-beta");
        if (beta == null || !beta.contains("oauth-2025-04-20")) {
            problem("profile: anthropic-beta " + beta);
        }
        if (auth == null || !auth.startsWith("Bearer ") || !claudeAccessTokens.contains(auth.substring(7))) {
            send(exchange, 401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid bearer token\"}}");
            return;
        }
        ObjectNode reply = json.createObjectNode();
        ObjectNode account = reply.putObject("account");
        account.put("uuid", CLAUDE_ACCOUNT_UUID);
        account.put("full_name", "Fake Person");
        account.put("email", CLAUDE_EMAIL);
        account.put("has_claude_max", true);
        account.put("has_claude_pro", false);
        ObjectNode org = reply.putObject("organization");
        org.put("uuid", "org-fake-0003");
        org.put("organization_type", "claude_max");
        org.put("rate_limit_tier", CLAUDE_TIER);
        send(exchange, 200, json.writeValueAsString(reply));
    }

    private void deviceUserCode(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
        if (!OAuthProvider.CHATGPT.clientId().equals(body.path("client_id").asText())) {
            problem("device usercode: client_id " + body.path("client_id"));
        }
        if (!deviceLoginEnabled) {
            send(exchange, 404, "{\"detail\":\"Not Found\"}");
            return;
        }
        send(exchange, 200, "{\"device_auth_id\":\"dev-auth-fake-1\",\"user_code\":\"FAKE-CODE\",\"interval\":\"0\"}");
    }

    private void deviceToken(HttpExchange exchange) throws IOException {
        devicePolls.incrementAndGet();
        JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
        if (!"dev-auth-fake-1".equals(body.path("device_auth_id").asText())
                || !"FAKE-CODE".equals(body.path("user_code").asText())) {
            problem("device token: unexpected body " + body);
        }
        if (devicePendingPolls.getAndDecrement() > 0) {
            send(exchange, 403, "{\"error\":\"authorization_pending\"}");
            return;
        }
        Pkce.Codes pkce = Pkce.secure().newCodes();
        String code = "ac_fake_device_" + serial.incrementAndGet();
        codes.put(code, new IssuedCode("chatgpt", issuer() + "/deviceauth/callback", pkce.challenge(), ""));
        ObjectNode reply = json.createObjectNode();
        reply.put("authorization_code", code);
        reply.put("code_challenge", pkce.challenge());
        reply.put("code_verifier", pkce.verifier());
        send(exchange, 200, json.writeValueAsString(reply));
    }

    // ---------------------------------------------------------------- helpers

    private IssuedCode redeem(String code, String provider, String redirectUri, String verifier) {
        IssuedCode issued = code == null ? null : codes.remove(code);
        if (issued == null) {
            problem(provider + " token: unknown or reused code");
            return null;
        }
        if (!issued.provider().equals(provider)) {
            problem(provider + " token: code was issued for " + issued.provider());
            return null;
        }
        if (!issued.redirectUri().equals(redirectUri)) {
            problem(provider + " token: redirect_uri " + redirectUri + " != " + issued.redirectUri());
            return null;
        }
        if (verifier == null || !Pkce.challengeOf(verifier).equals(issued.challenge())) {
            problem(provider + " token: code_verifier does not match the code_challenge");
            return null;
        }
        return issued;
    }

    /**
     * What every refresh goes through first, whichever provider: it is counted, waits while a test holds the gate,
     * and gets the failure a test set ({@link #refreshFailureStatus}), if any. True when that failure was sent.
     */
    private boolean answeredWithRefreshFailure(HttpExchange exchange) throws IOException, InterruptedException {
        refreshCalls.incrementAndGet();
        awaitGate();
        if (refreshFailureStatus == 0) {
            return false;
        }
        send(exchange, refreshFailureStatus, refreshFailureBody);
        return true;
    }

    private void awaitGate() throws InterruptedException {
        CountDownLatch gate = refreshGate;
        if (gate != null && !gate.await(10, TimeUnit.SECONDS)) {
            problem("refresh gate was never opened");
        }
    }

    private void expect(Map<String, String> params, String name, String value) {
        if (!value.equals(params.get(name))) {
            problem("expected " + name + "=" + value + " but got " + params.get(name));
        }
    }

    private void problem(String text) {
        problems.add(text);
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
