package io.proxygate.adapter.in.http;

import io.proxygate.application.proxy.Headers;
import io.proxygate.application.proxy.Route;
import io.proxygate.domain.credential.Secret;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who may use the proxy routes. With a proxy token configured, clients present it as {@code Authorization: Bearer},
 * {@code X-ProxyGate-Token} or {@code x-api-key} (constant-time compare). On {@code /v1/messages} a logged-in Claude
 * Code may also present a token equal to one of the pool's own Claude tokens, when the server listens on loopback
 * or {@code accept_claude_oauth_clients} is on. Any other {@code sk-ant-oat...} token passes only when
 * {@code accept_claude_oauth_clients} is on: the prefix alone proves nothing, and loopback is no proof of the caller
 * either (other local users, tunnels and reverse proxies all arrive from 127.0.0.1).
 */
public final class ClientAuth {
    private final Optional<Secret> proxyToken;
    private final boolean acceptPooledClaudeTokens;
    private final boolean acceptClaudeOAuthClients;
    private final Supplier<Collection<Secret>> pooledClaudeTokens;

    /**
     * @param acceptPooledClaudeTokens a token equal to a pooled Claude token passes on {@code /v1/messages}
     * @param acceptClaudeOAuthClients any Claude OAuth token passes on {@code /v1/messages}
     */
    public ClientAuth(Optional<Secret> proxyToken, boolean acceptPooledClaudeTokens, boolean acceptClaudeOAuthClients,
                      Supplier<Collection<Secret>> pooledClaudeTokens) {
        this.proxyToken = proxyToken;
        this.acceptPooledClaudeTokens = acceptPooledClaudeTokens || acceptClaudeOAuthClients;
        this.acceptClaudeOAuthClients = acceptClaudeOAuthClients;
        this.pooledClaudeTokens = pooledClaudeTokens;
    }

    public boolean open() {
        return proxyToken.isEmpty();
    }

    public boolean allows(Route route, Headers headers) {
        if (proxyToken.isEmpty()) {
            return true;
        }
        Optional<String> presented = presented(headers);
        if (presented.isEmpty()) {
            return false;
        }
        String token = presented.get();
        if (proxyToken.get().matches(token)) {
            return true;
        }
        if (route.api() != io.proxygate.domain.credential.Api.MESSAGES || !acceptPooledClaudeTokens) {
            return false;
        }
        boolean pooled = false;
        for (Secret s : pooledClaudeTokens.get()) {
            pooled |= s.matches(token); // no early exit: constant time over the pool
        }
        return pooled || (acceptClaudeOAuthClients && token.startsWith("sk-ant-oat") && token.length() > 20);
    }

    /** The token a client presented, in the original's order of headers. */
    static Optional<String> presented(Headers headers) {
        Optional<String> auth = headers.first("Authorization").map(v -> v.startsWith("Bearer ") ? v.substring(7) : v)
                .map(String::trim).filter(v -> !v.isEmpty());
        return auth.or(() -> headers.first("X-ProxyGate-Token").map(String::trim))
                .or(() -> headers.first("x-api-key").map(String::trim));
    }
}
