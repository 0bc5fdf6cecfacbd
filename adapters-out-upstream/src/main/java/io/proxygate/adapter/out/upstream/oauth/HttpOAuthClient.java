package io.proxygate.adapter.out.upstream.oauth;

import io.proxygate.adapter.out.upstream.proxy.ProxiedClients;
import io.proxygate.adapter.out.upstream.proxy.ProxySelection;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.OutboundProxy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.adapter.out.upstream.ProxyGateUserAgent;
import io.proxygate.application.auth.ClaudeProfile;
import io.proxygate.application.auth.DeviceAuthorization;
import io.proxygate.application.auth.DeviceCode;
import io.proxygate.application.auth.JwtClaims;
import io.proxygate.application.auth.OAuthCallException;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.port.out.OAuthPort;
import io.proxygate.application.auth.TokenClaims;
import io.proxygate.application.auth.TokenGrant;
import io.proxygate.domain.credential.Secret;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.WWWFormCodec;
import org.apache.hc.core5.util.Timeout;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ChatGPT and Claude OAuth endpoints over HttpClient 5 (small request and reply bodies, so buffered
 * {@link SimpleHttpRequest}s). ChatGPT's token endpoint takes forms, Claude's takes JSON. Failures are split into
 * permanent (the grant is dead: {@code invalid_grant}, {@code refresh_token_expired/_reused/_invalidated}, or HTTP
 * 400/401 from a token endpoint) and transient (network, timeout, 429, 5xx, anything else).
 */
public final class HttpOAuthClient implements OAuthPort, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpOAuthClient.class);
    private static final Set<String> DEAD_GRANT_CODES = Set.of("invalid_grant", "refresh_token_expired",
            "refresh_token_reused", "refresh_token_invalidated");
    private static final int MAX_REPLY_BYTES = 1 << 20;
    private static final String OAUTH_BETA = "oauth-2025-04-20";
    /** Without httpcore's default "charset=ISO-8859-1": the encoded form is plain ASCII. */
    private static final ContentType FORM = ContentType.create("application/x-www-form-urlencoded");

    private final OAuthSettings settings;
    private final CloseableHttpAsyncClient client;
    private final boolean ownsClient;
    /** Clients per outbound proxy when calls follow each credential's proxy; null when one client carries all. */
    private final ProxiedClients proxied;
    private final ProxySelection proxies;
    private final ObjectMapper json = new ObjectMapper();

    /** Creates and starts its own client (closed by {@link #close()}). */
    public HttpOAuthClient(OAuthSettings settings) {
        this(settings, newClient(settings.timeout()), true);
    }

    /** Uses a started client shared with other adapters; {@link #close()} leaves it open. */
    public HttpOAuthClient(OAuthSettings settings, CloseableHttpAsyncClient client) {
        this(settings, client, false);
    }

    private HttpOAuthClient(OAuthSettings settings, CloseableHttpAsyncClient client, boolean ownsClient) {
        this.settings = settings;
        this.client = client;
        this.ownsClient = ownsClient;
        this.proxied = null;
        this.proxies = ProxySelection.DIRECT;
    }

    /**
     * Owns one client per outbound proxy: a refresh for an account leaves through that account's proxy, logins
     * (no account yet) through the default one.
     */
    public HttpOAuthClient(OAuthSettings settings, ProxySelection proxies) {
        this.settings = settings;
        this.proxies = proxies;
        this.proxied = new ProxiedClients(proxy -> newClient(settings.timeout(), proxy));
        this.client = null;
        this.ownsClient = false;
    }

    private static CloseableHttpAsyncClient newClient(Duration timeout) {
        return newClient(timeout, null);
    }

    /** @param proxy the outbound proxy, or null to follow the JVM's proxy system properties */
    private static CloseableHttpAsyncClient newClient(Duration timeout, OutboundProxy proxy) {
        Timeout t = Timeout.of(timeout);
        HttpAsyncClientBuilder builder = HttpAsyncClients.custom();
        if (proxy == null) {
            builder.useSystemProperties();
        } else {
            ProxiedClients.configure(builder, proxy);
        }
        CloseableHttpAsyncClient client = builder
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t)
                        .setConnectionRequestTimeout(t).build())
                .disableCookieManagement()
                .disableRedirectHandling()
                // no hidden retries (the default repeats a POST on 503): a refresh token must be spent at most once
                // per attempt, and TokenRefreshService owns the backoff
                .disableAutomaticRetries()
                .setUserAgent(ProxyGateUserAgent.VALUE)
                .build();
        client.start();
        return client;
    }

    // ---------------------------------------------------------------- ChatGPT

    @Override
    public TokenGrant exchangeChatGptCode(String code, String verifier, String redirectUri) throws OAuthCallException {
        SimpleHttpRequest request = form(settings.openai("/oauth/token"), List.of(
                pair("grant_type", "authorization_code"),
                pair("code", code),
                pair("redirect_uri", redirectUri),
                pair("client_id", OAuthProvider.CHATGPT.clientId()),
                pair("code_verifier", verifier)));
        return chatGptGrant(tokenCall("ChatGPT token endpoint", request));
    }

    private TokenGrant chatGptGrant(JsonNode reply) throws OAuthCallException {
        Secret access = accessToken(reply);
        Optional<Secret> id = secret(reply, "id_token");
        TokenClaims claims = JwtClaims.ofTokens(access.reveal(), id.map(Secret::reveal));
        return new TokenGrant(access, secret(reply, "refresh_token"), id, expiresIn(reply), claims);
    }

    @Override
    public DeviceCode requestChatGptDeviceCode() throws OAuthCallException {
        ObjectNode body = json.createObjectNode().put("client_id", OAuthProvider.CHATGPT.clientId());
        Reply reply = send("ChatGPT device code endpoint",
                jsonPost(settings.openai("/api/accounts/deviceauth/usercode"), body));
        if (reply.status() == 404) {
            throw new OAuthCallException("device code login is not enabled on this server; use the browser or "
                    + "--no-browser login", true, 404);
        }
        if (!reply.ok()) {
            throw failure("ChatGPT device code endpoint", reply, false);
        }
        JsonNode node = parse("ChatGPT device code endpoint", reply);
        String deviceAuthId = text(node, "device_auth_id");
        String userCode = text(node, "user_code");
        if (userCode.isEmpty()) {
            userCode = text(node, "usercode");
        }
        if (deviceAuthId.isEmpty() || userCode.isEmpty()) {
            throw new OAuthCallException("device code reply lacks device_auth_id or user_code", false, reply.status());
        }
        Optional<Duration> interval = Optional.empty();
        String raw = text(node, "interval");
        if (!raw.isEmpty()) {
            try {
                interval = Optional.of(Duration.ofSeconds(Long.parseLong(raw.trim())));
            } catch (NumberFormatException ignored) {
                // a malformed interval means "unspecified": the service's floor applies
            }
        }
        return new DeviceCode(settings.openai("/codex/device"), userCode, deviceAuthId, interval);
    }

    @Override
    public Optional<DeviceAuthorization> pollChatGptDeviceCode(DeviceCode code) throws OAuthCallException {
        ObjectNode body = json.createObjectNode()
                .put("device_auth_id", code.deviceAuthId())
                .put("user_code", code.userCode());
        Reply reply = send("ChatGPT device token endpoint",
                jsonPost(settings.openai("/api/accounts/deviceauth/token"), body));
        if (reply.status() == 403 || reply.status() == 404) {
            return Optional.empty(); // not approved yet
        }
        if (!reply.ok()) {
            throw failure("ChatGPT device token endpoint", reply, false);
        }
        JsonNode node = parse("ChatGPT device token endpoint", reply);
        String authCode = text(node, "authorization_code");
        String verifier = text(node, "code_verifier");
        if (authCode.isEmpty() || verifier.isEmpty()) {
            throw new OAuthCallException("device token reply lacks authorization_code or code_verifier", false,
                    reply.status());
        }
        return Optional.of(new DeviceAuthorization(authCode, verifier,
                settings.openai("/deviceauth/callback").toString()));
    }

    // ---------------------------------------------------------------- refresh, either provider

    @Override
    public TokenGrant refresh(OAuthProvider provider, Optional<CredentialId> account, Secret refreshToken)
            throws OAuthCallException {
        return switch (provider) {
            case CHATGPT -> chatGptGrant(tokenCall("ChatGPT token endpoint", form(settings.openai("/oauth/token"),
                    List.of(pair("grant_type", "refresh_token"),
                            pair("refresh_token", refreshToken.reveal()),
                            pair("client_id", OAuthProvider.CHATGPT.clientId()))), account));
            case CLAUDE -> claudeGrant(tokenCall("Claude token endpoint", jsonPost(settings.anthropicTokenUrl(),
                    json.createObjectNode()
                            .put("grant_type", "refresh_token")
                            .put("refresh_token", refreshToken.reveal())
                            .put("client_id", OAuthProvider.CLAUDE.clientId())), account));
        };
    }

    // ---------------------------------------------------------------- Claude

    @Override
    public TokenGrant exchangeClaudeCode(String code, String verifier, String redirectUri, String state)
            throws OAuthCallException {
        ObjectNode body = json.createObjectNode()
                .put("grant_type", "authorization_code")
                .put("code", code)
                .put("redirect_uri", redirectUri)
                .put("client_id", OAuthProvider.CLAUDE.clientId())
                .put("code_verifier", verifier)
                .put("state", state);
        return claudeGrant(tokenCall("Claude token endpoint", jsonPost(settings.anthropicTokenUrl(), body)));
    }

    private TokenGrant claudeGrant(JsonNode reply) throws OAuthCallException {
        return new TokenGrant(accessToken(reply), secret(reply, "refresh_token"), Optional.empty(), expiresIn(reply),
                TokenClaims.NONE);
    }

    @Override
    public ClaudeProfile fetchClaudeProfile(Secret accessToken) throws OAuthCallException {
        SimpleHttpRequest request = SimpleRequestBuilder.get(settings.anthropicApi("/api/oauth/profile"))
                .addHeader("Authorization", "Bearer " + accessToken.reveal())
                .addHeader("anthropic-beta", OAUTH_BETA)
                .addHeader("Accept", "application/json")
                .build();
        Reply reply = send("Claude profile endpoint", request);
        if (!reply.ok()) {
            throw failure("Claude profile endpoint", reply, reply.status() == 401);
        }
        JsonNode node = parse("Claude profile endpoint", reply);
        Optional<String> email = Optional.of(lookup(node, "email", "email_address", "emailAddress"))
                .filter(s -> !s.isEmpty());
        String accountId = lookup(node, "account_id", "accountId", "uuid", "id");
        String subscription = lookup(node, "subscription_type", "subscriptionType", "plan_type", "planType");
        if (subscription.isEmpty()) {
            if (node.path("account").path("has_claude_max").asBoolean(false)) {
                subscription = "claude_max";
            } else if (node.path("account").path("has_claude_pro").asBoolean(false)) {
                subscription = "claude_pro";
            }
        }
        String tier = lookup(node, "rate_limit_tier", "rateLimitTier");
        return new ClaudeProfile(email, accountId, subscription, tier);
    }

    /** The profile's field spellings vary: each is looked up at the top level, then under account, organization. */
    private static String lookup(JsonNode node, String... names) {
        for (JsonNode scope : List.of(node, node.path("account"), node.path("organization"))) {
            for (String name : names) {
                String value = text(scope, name);
                if (!value.isEmpty()) {
                    return value;
                }
            }
        }
        return "";
    }

    // ---------------------------------------------------------------- plumbing

    private JsonNode tokenCall(String what, SimpleHttpRequest request) throws OAuthCallException {
        return tokenCall(what, request, Optional.empty());
    }

    private JsonNode tokenCall(String what, SimpleHttpRequest request, Optional<CredentialId> account)
            throws OAuthCallException {
        Reply reply = send(what, request, account);
        if (!reply.ok()) {
            throw failure(what, reply, reply.status() == 400 || reply.status() == 401);
        }
        return parse(what, reply);
    }

    private Reply send(String what, SimpleHttpRequest request) throws OAuthCallException {
        return send(what, request, Optional.empty());
    }

    private Reply send(String what, SimpleHttpRequest request, Optional<CredentialId> account)
            throws OAuthCallException {
        CloseableHttpAsyncClient via;
        try {
            via = proxied == null ? client : proxied.get(proxies.select(account, request.getUri()));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new OAuthCallException(what + ": no outbound client (" + e.getClass().getSimpleName() + ")", false,
                    0);
        }
        Future<SimpleHttpResponse> future = via.execute(request, null);
        try {
            SimpleHttpResponse response = future.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            byte[] body = response.getBodyBytes() == null ? new byte[0] : response.getBodyBytes();
            if (body.length > MAX_REPLY_BYTES) {
                throw new OAuthCallException(what + " sent an oversized reply (" + body.length + " bytes)", false,
                        response.getCode());
            }
            return new Reply(response.getCode(), new String(body, StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new OAuthCallException(what + " did not answer within " + settings.timeout().toSeconds() + " s",
                    false, 0);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new OAuthCallException(what + " unreachable: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), false, 0);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new OAuthCallException(what + " call interrupted", false, 0);
        }
    }

    /**
     * Turns an error reply into one line: "HTTP 400 invalid_grant: description". OAuth servers put the code in
     * {@code error} (a string) or, like OpenAI's, in {@code error.code}/{@code error.type}.
     */
    private OAuthCallException failure(String what, Reply reply, boolean permanentStatus) {
        String code = "";
        String description = "";
        try {
            JsonNode node = json.readTree(reply.body());
            if (node != null && node.isObject()) {
                JsonNode error = node.path("error");
                if (error.isTextual()) {
                    code = error.asText();
                    description = text(node, "error_description");
                } else if (error.isObject()) {
                    code = text(error, "code");
                    if (code.isEmpty()) {
                        code = text(error, "type");
                    }
                    description = text(error, "message");
                }
                if (description.isEmpty()) {
                    description = text(node, "message");
                }
            }
        } catch (JsonProcessingException ignored) {
            description = reply.body();
        }
        boolean permanent = permanentStatus || DEAD_GRANT_CODES.contains(code.toLowerCase(Locale.ROOT));
        StringBuilder message = new StringBuilder(what).append(" answered HTTP ").append(reply.status());
        if (!code.isEmpty()) {
            message.append(' ').append(oneLine(code, 60));
        }
        if (!description.isBlank()) {
            message.append(": ").append(oneLine(description, 200));
        }
        LOG.debug("{} (permanent={})", message, permanent);
        return new OAuthCallException(message.toString(), permanent, reply.status());
    }

    private JsonNode parse(String what, Reply reply) throws OAuthCallException {
        try {
            JsonNode node = json.readTree(reply.body());
            if (node == null || !node.isObject()) {
                throw new OAuthCallException(what + " sent a reply that is not a JSON object", false, reply.status());
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new OAuthCallException(what + " sent malformed JSON", false, reply.status());
        }
    }

    private static Secret accessToken(JsonNode reply) throws OAuthCallException {
        String token = text(reply, "access_token");
        if (token.isBlank()) {
            throw new OAuthCallException("token endpoint reply has no access_token", false, 200);
        }
        return Secret.of(token);
    }

    private static Optional<Secret> secret(JsonNode reply, String field) {
        String value = text(reply, field);
        return value.isBlank() ? Optional.empty() : Optional.of(Secret.of(value));
    }

    private static Optional<Duration> expiresIn(JsonNode reply) {
        JsonNode node = reply.path("expires_in");
        long seconds = node.isNumber() ? node.asLong() : node.isTextual() ? parseLong(node.asText()) : 0;
        return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() || value.isNumber() ? value.asText() : "";
    }

    private static String oneLine(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }

    private static BasicNameValuePair pair(String name, String value) {
        return new BasicNameValuePair(name, value);
    }

    private static SimpleHttpRequest form(URI uri, List<BasicNameValuePair> fields) {
        String body = WWWFormCodec.format(fields, StandardCharsets.UTF_8);
        return SimpleRequestBuilder.post(uri)
                .addHeader("Accept", "application/json")
                .setBody(body.getBytes(StandardCharsets.US_ASCII), FORM)
                .build();
    }

    private SimpleHttpRequest jsonPost(URI uri, ObjectNode body) {
        try {
            return SimpleRequestBuilder.post(uri)
                    .addHeader("Accept", "application/json")
                    .setBody(json.writeValueAsString(body), ContentType.APPLICATION_JSON)
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serialises", e);
        }
    }

    private record Reply(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close(CloseMode.GRACEFUL);
        }
        if (proxied != null) {
            proxied.close();
        }
    }
}
