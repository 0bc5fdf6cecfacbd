package io.proxygate.application.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the authorize pages are and how long a login may take.
 *
 * @param openaiIssuer           {@code https://auth.openai.com}; the authorize page is {@code {issuer}/oauth/authorize}
 * @param claudeAuthorizeUrl     {@code https://claude.ai/oauth/authorize}
 * @param callbackTimeout        how long a browser login waits for the redirect (5 min)
 * @param pendingTtl             how long a manual login may stay pending (10 min)
 * @param deviceMinPollInterval  device-code polls are never closer than this (5 s)
 * @param deviceTimeout          how long a device code is polled (15 min, the code's validity)
 */
public record LoginSettings(URI openaiIssuer, URI claudeAuthorizeUrl, Duration callbackTimeout, Duration pendingTtl,
                            Duration deviceMinPollInterval, Duration deviceTimeout) {
    public static final URI DEFAULT_OPENAI_ISSUER = URI.create("https://auth.openai.com");
    public static final URI DEFAULT_CLAUDE_AUTHORIZE_URL = URI.create("https://claude.ai/oauth/authorize");

    public LoginSettings {
        Objects.requireNonNull(openaiIssuer, "openaiIssuer");
        Objects.requireNonNull(claudeAuthorizeUrl, "claudeAuthorizeUrl");
        requirePositive(callbackTimeout, "callbackTimeout");
        requirePositive(pendingTtl, "pendingTtl");
        requirePositive(deviceMinPollInterval, "deviceMinPollInterval");
        requirePositive(deviceTimeout, "deviceTimeout");
    }

    public static LoginSettings defaults() {
        return withEndpoints(DEFAULT_OPENAI_ISSUER, DEFAULT_CLAUDE_AUTHORIZE_URL);
    }

    /** Default timings with the given authorize endpoints (what config and tests usually change). */
    public static LoginSettings withEndpoints(URI openaiIssuer, URI claudeAuthorizeUrl) {
        return new LoginSettings(openaiIssuer, claudeAuthorizeUrl, Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofSeconds(5), Duration.ofMinutes(15));
    }

    public LoginSettings withCallbackTimeout(Duration timeout) {
        return new LoginSettings(openaiIssuer, claudeAuthorizeUrl, timeout, pendingTtl, deviceMinPollInterval,
                deviceTimeout);
    }

    public LoginSettings withDevicePolling(Duration minInterval, Duration timeout) {
        return new LoginSettings(openaiIssuer, claudeAuthorizeUrl, callbackTimeout, pendingTtl, minInterval, timeout);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || !d.isPositive()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
