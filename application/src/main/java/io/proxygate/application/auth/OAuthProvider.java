package io.proxygate.application.auth;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The OAuth subscription providers whose accounts ProxyGate can log in, each with the public client registration it
 * logs in as (that of the Codex CLI and of Claude Code): client id, scopes, the loopback ports and path the
 * provider redirects to, and the shape of its authorize URL. The login flows are written once against these values;
 * what differs in how a provider's tokens become an account is in {@link LoginService}'s completion step, and the
 * token endpoints' wire formats are the OAuth adapter's.
 */
public enum OAuthProvider {
    /** ChatGPT, as the Codex CLI logs in ({@code prompt=login} and {@code max_age=0} force a fresh login). */
    CHATGPT("ChatGPT", "chatgpt", "app_EMoamEEZ73f0CkXaXp7hrann", "openid profile email offline_access",
            1455, 1460, "/auth/callback",
            settings -> join(settings.openaiIssuer(), "/oauth/authorize"),
            List.of(),
            List.of(Map.entry("id_token_add_organizations", "true"), Map.entry("codex_cli_simplified_flow", "true"),
                    Map.entry("originator", "codex_cli_rs"), Map.entry("prompt", "login"), Map.entry("max_age", "0"))),
    /** Claude, as Claude Code logs in ({@code code=true} first, as Claude Code sends it). */
    CLAUDE("Claude", "claude", "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
            "org:create_api_key user:profile user:inference user:sessions:claude_code user:file_upload",
            1461, 1466, "/callback",
            LoginSettings::claudeAuthorizeUrl,
            List.of(Map.entry("code", "true")),
            List.of());

    private final String displayName;
    private final String id;
    private final String clientId;
    private final String scope;
    private final int firstPort;
    private final int lastPort;
    private final String callbackPath;
    private final Function<LoginSettings, URI> authorizeEndpoint;
    private final List<Map.Entry<String, String>> leadingParams;
    private final List<Map.Entry<String, String>> trailingParams;

    OAuthProvider(String displayName, String id, String clientId, String scope, int firstPort, int lastPort,
                  String callbackPath, Function<LoginSettings, URI> authorizeEndpoint,
                  List<Map.Entry<String, String>> leadingParams, List<Map.Entry<String, String>> trailingParams) {
        this.displayName = displayName;
        this.id = id;
        this.clientId = clientId;
        this.scope = scope;
        this.firstPort = firstPort;
        this.lastPort = lastPort;
        this.callbackPath = callbackPath;
        this.authorizeEndpoint = authorizeEndpoint;
        this.leadingParams = leadingParams;
        this.trailingParams = trailingParams;
    }

    /** How messages name the provider ("ChatGPT", "Claude"). */
    public String displayName() {
        return displayName;
    }

    /** Lower-case name for files and keys ("chatgpt", "claude"). */
    public String id() {
        return id;
    }

    /** The public OAuth client id ProxyGate logs in as. */
    public String clientId() {
        return clientId;
    }

    /** The scopes asked for, space-separated. */
    public String scope() {
        return scope;
    }

    /** The callback listener takes the first free port of {@code firstPort..lastPort}. */
    public int firstPort() {
        return firstPort;
    }

    public int lastPort() {
        return lastPort;
    }

    /** The path the provider redirects to on the loopback port. */
    public String callbackPath() {
        return callbackPath;
    }

    /** The redirect URI for {@code port} as the provider expects it: {@code localhost}, although we bind 127.0.0.1. */
    public String redirectUri(int port) {
        return "http://localhost:" + port + callbackPath;
    }

    /** The authorize page, as configured in {@code settings}. */
    public URI authorizeEndpoint(LoginSettings settings) {
        return authorizeEndpoint.apply(settings);
    }

    /**
     * The authorize query in the order the provider's own client sends it: the provider's leading parameters, the
     * standard PKCE code-flow parameters, then its trailing ones.
     */
    public List<Map.Entry<String, String>> authorizeQuery(String redirectUri, String codeChallenge, String state) {
        List<Map.Entry<String, String>> standard = List.of(
                Map.entry("response_type", "code"),
                Map.entry("client_id", clientId),
                Map.entry("redirect_uri", redirectUri),
                Map.entry("scope", scope),
                Map.entry("code_challenge", codeChallenge),
                Map.entry("code_challenge_method", "S256"),
                Map.entry("state", state));
        return Stream.of(leadingParams, standard, trailingParams).flatMap(List::stream).toList();
    }

    private static URI join(URI base, String path) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + path);
    }
}
