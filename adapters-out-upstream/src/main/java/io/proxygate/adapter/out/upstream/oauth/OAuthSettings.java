package io.proxygate.adapter.out.upstream.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the OAuth endpoints are (config points them at mock servers in tests).
 *
 * @param openaiIssuer        {@code https://auth.openai.com}: {@code /oauth/token}, {@code /api/accounts/deviceauth/*}
 * @param claudeAuthorizeUrl  {@code https://claude.ai/oauth/authorize} (used by the login service's URLs)
 * @param anthropicTokenUrl   {@code https://console.anthropic.com/v1/oauth/token}
 * @param anthropicApiBaseUrl {@code https://api.anthropic.com}: {@code /api/oauth/profile}, {@code /api/oauth/usage}
 * @param timeout             per call (30 s by default)
 */
public record OAuthSettings(URI openaiIssuer, URI claudeAuthorizeUrl, URI anthropicTokenUrl, URI anthropicApiBaseUrl,
                            Duration timeout) {
    public OAuthSettings {
        Objects.requireNonNull(openaiIssuer, "openaiIssuer");
        Objects.requireNonNull(claudeAuthorizeUrl, "claudeAuthorizeUrl");
        Objects.requireNonNull(anthropicTokenUrl, "anthropicTokenUrl");
        Objects.requireNonNull(anthropicApiBaseUrl, "anthropicApiBaseUrl");
        if (timeout == null || !timeout.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    public static OAuthSettings defaults() {
        return new OAuthSettings(URI.create("https://auth.openai.com"), URI.create("https://claude.ai/oauth/authorize"),
                URI.create("https://console.anthropic.com/v1/oauth/token"), URI.create("https://api.anthropic.com"),
                Duration.ofSeconds(30));
    }

    URI openai(String path) {
        return join(openaiIssuer, path);
    }

    URI anthropicApi(String path) {
        return join(anthropicApiBaseUrl, path);
    }

    static URI join(URI base, String path) {
        String text = base.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text + path);
    }
}
