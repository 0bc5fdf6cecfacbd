package io.proxygate.adapter.in.http;

import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.http.Route;
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
 *
 * <p>Client keys ({@code pgk_...}) are presented the same way. Once one exists, every route needs a client key or
 * the proxy token, even with no proxy token configured, and Claude tokens no longer pass: a team that hands out
 * keys means to close the door. The pooled tokens passed in are those of enabled accounts only.
 */
public final class ClientAuth {
    private final Optional<Secret> proxyToken;
    private final boolean acceptPooledClaudeTokens;
    private final boolean acceptClaudeOAuthClients;
    private final Supplier<Collection<Secret>> pooledClaudeTokens;
    private final Optional<ClientKeyService> clientKeys;

    /**
     * @param acceptPooledClaudeTokens a token equal to a pooled Claude token passes on {@code /v1/messages}
     * @param acceptClaudeOAuthClients any Claude OAuth token passes on {@code /v1/messages}
     */
    public ClientAuth(Optional<Secret> proxyToken, boolean acceptPooledClaudeTokens, boolean acceptClaudeOAuthClients,
                      Supplier<Collection<Secret>> pooledClaudeTokens) {
        this(proxyToken, acceptPooledClaudeTokens, acceptClaudeOAuthClients, pooledClaudeTokens, Optional.empty());
    }

    /** @param clientKeys the client keys, which close the routes to everyone else once one exists */
    public ClientAuth(Optional<Secret> proxyToken, boolean acceptPooledClaudeTokens, boolean acceptClaudeOAuthClients,
                      Supplier<Collection<Secret>> pooledClaudeTokens, Optional<ClientKeyService> clientKeys) {
        this.proxyToken = proxyToken;
        this.acceptPooledClaudeTokens = acceptPooledClaudeTokens || acceptClaudeOAuthClients;
        this.acceptClaudeOAuthClients = acceptClaudeOAuthClients;
        this.pooledClaudeTokens = pooledClaudeTokens;
        this.clientKeys = clientKeys;
    }

    public boolean open() {
        return proxyToken.isEmpty() && clientKeys.map(k -> !k.any()).orElse(true);
    }

    public boolean allows(Route route, Headers headers) {
        try {
            identify(route, headers);
            return true;
        } catch (ProxyFailure refused) {
            return false;
        }
    }

    /**
     * Who is asking: a client key's id, {@link ClientKeyService#OWNER} for the proxy token (or a Claude token the
     * rules above accept), {@link ClientKeyService#OPEN} when nothing guards the routes.
     *
     * @throws ProxyFailure 401, with a message saying why (no token, a wrong one, a revoked or expired key)
     */
    public String identify(Route route, Headers headers) {
        Optional<String> presented = presented(headers);
        if (presented.isPresent() && clientKeys.isPresent() && clientKeys.get().any()
                && ClientKeyService.looksLikeKey(presented.get())
                && proxyToken.map(t -> !t.matches(presented.get())).orElse(true)) {
            return clientKeys.get().authenticate(presented.get()).id();
        }
        if (open()) {
            return ClientKeyService.OPEN;
        }
        if (presented.isEmpty()) {
            throw new ProxyFailure(401, "authentication_error", "unauthorized");
        }
        if (ownerToken(route, presented.get())) {
            return ClientKeyService.OWNER;
        }
        throw new ProxyFailure(401, "authentication_error", "unauthorized");
    }

    private boolean ownerToken(Route route, String token) {
        if (proxyToken.isPresent() && proxyToken.get().matches(token)) {
            return true;
        }
        if (route.api() != io.proxygate.domain.credential.Api.MESSAGES || !acceptPooledClaudeTokens) {
            return false;
        }
        if (clientKeys.map(ClientKeyService::any).orElse(false)) {
            // A Claude token is a person's own login (a teammate's account in the pool, or anyone's subscription):
            // once keys are handed out, it would be an owner pass without the limits a key carries.
            return false;
        }
        boolean pooled = false;
        for (Secret s : pooledClaudeTokens.get()) {
            pooled |= s.matches(token); // no early exit: constant time over the pool
        }
        return pooled || (acceptClaudeOAuthClients && token.startsWith("sk-ant-oat") && token.length() > 20);
    }

    /** Takes the request's slot under its client key's rules; nothing to take for the owner or an open server. */
    public ClientKeyService.Ticket admit(String principal, Route route, String model, long bodyBytes) {
        return clientKeys.map(k -> k.admit(principal, route, model, bodyBytes)).orElse(ClientKeyService.Ticket.NONE);
    }

    /**
     * The token a client presented: {@code Authorization} (Bearer or bare), then {@code X-ProxyGate-Token}, then
     * {@code x-api-key}.
     */
    static Optional<String> presented(Headers headers) {
        Optional<String> auth = headers.first("Authorization").map(v -> v.startsWith("Bearer ") ? v.substring(7) : v)
                .map(String::trim).filter(v -> !v.isEmpty());
        return auth.or(() -> headers.first("X-ProxyGate-Token").map(String::trim))
                .or(() -> headers.first("x-api-key").map(String::trim));
    }
}
