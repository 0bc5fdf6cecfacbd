package io.proxygate.adapter.in.http;

import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAuthTest {
    private static final String POOLED = "sk-ant-oat01-test-pooled";
    private static final Optional<Secret> PROXY_TOKEN = Optional.of(Secret.of("proxy-token-1234"));

    /** On loopback, as the server does by default. */
    private static ClientAuth auth(boolean acceptClaudeOAuthClients) {
        return new ClientAuth(PROXY_TOKEN, true, acceptClaudeOAuthClients, () -> List.of(Secret.of(POOLED)));
    }

    @Test
    void theBareClaudePrefixNeverPassesWhenAProxyTokenIsSet() {
        for (String token : List.of("sk-ant-oat", "sk-ant-oat01-", "sk-ant-oat01-test-any")) {
            assertThat(auth(false).allows(Route.MESSAGES, Headers.of("x-api-key", token))).as(token).isFalse();
            assertThat(auth(false).allows(Route.MESSAGES, Headers.of("Authorization", "Bearer " + token)))
                    .as(token).isFalse();
        }
    }

    @Test
    void aTokenEqualToAPooledClaudeTokenStillWorksOnMessagesOnly() {
        assertThat(auth(false).allows(Route.MESSAGES, Headers.of("Authorization", "Bearer " + POOLED))).isTrue();
        assertThat(auth(false).allows(Route.MESSAGES, Headers.of("x-api-key", POOLED))).isTrue();
        assertThat(auth(false).allows(Route.RESPONSES, Headers.of("x-api-key", POOLED))).isFalse();
    }

    @Test
    void offLoopbackAPooledClaudeTokenPassesOnlyWhenClaudeClientsAreAccepted() {
        ClientAuth remote = new ClientAuth(PROXY_TOKEN, false, false, () -> List.of(Secret.of(POOLED)));
        assertThat(remote.allows(Route.MESSAGES, Headers.of("x-api-key", POOLED))).isFalse();
        ClientAuth accepting = new ClientAuth(PROXY_TOKEN, false, true, () -> List.of(Secret.of(POOLED)));
        assertThat(accepting.allows(Route.MESSAGES, Headers.of("x-api-key", POOLED))).isTrue();
    }

    @Test
    void anyClaudeOAuthTokenPassesOnlyWhenExplicitlyAccepted() {
        String other = "sk-ant-oat01-test-other";
        assertThat(auth(true).allows(Route.MESSAGES, Headers.of("x-api-key", other))).isTrue();
        assertThat(auth(true).allows(Route.MESSAGES, Headers.of("x-api-key", "sk-ant-oat"))).isFalse();
        assertThat(auth(true).allows(Route.CHAT_COMPLETIONS, Headers.of("x-api-key", other))).isFalse();
    }

    @Test
    void theProxyTokenPassesOnEveryRouteAndNothingElseDoes() {
        assertThat(auth(false).allows(Route.RESPONSES, Headers.of("Authorization", "Bearer proxy-token-1234")))
                .isTrue();
        assertThat(auth(false).allows(Route.PASSTHROUGH, Headers.of("X-ProxyGate-Token", "proxy-token-1234")))
                .isTrue();
        assertThat(auth(false).allows(Route.RESPONSES, Headers.of("Authorization", "Bearer wrong"))).isFalse();
        assertThat(auth(false).allows(Route.RESPONSES, Headers.EMPTY)).isFalse();
    }

    @Test
    void theFirstClientKeyClosesAnOpenServerToAllButKeysAndTheProxyToken() {
        MemoryKeys store = new MemoryKeys();
        io.proxygate.application.clientkey.ClientKeyService keys = new io.proxygate.application.clientkey
                .ClientKeyService(store, io.proxygate.application.usage.CostEstimator.UNPRICED,
                java.time.InstantSource.system(), java.time.ZoneOffset.UTC, new java.security.SecureRandom(), false);
        ClientAuth open = new ClientAuth(Optional.empty(), true, false, List::of, Optional.of(keys));
        assertThat(open.identify(Route.RESPONSES, Headers.EMPTY)).isEqualTo("open");

        String secret = keys.create("alice", io.proxygate.domain.clientkey.ClientKeyRules.NONE).secret();
        String id = keys.find("alice").id();
        assertThat(open.allows(Route.RESPONSES, Headers.EMPTY)).isFalse();
        assertThat(open.allows(Route.PASSTHROUGH, Headers.of("Authorization", "Bearer anything"))).isFalse();
        for (String header : List.of("Authorization", "x-api-key", "X-ProxyGate-Token")) {
            String value = header.equals("Authorization") ? "Bearer " + secret : secret;
            assertThat(open.identify(Route.MESSAGES, Headers.of(header, value))).as(header).isEqualTo(id);
        }
        ClientAuth owned = new ClientAuth(PROXY_TOKEN, true, false, List::of, Optional.of(keys));
        assertThat(owned.identify(Route.RESPONSES, Headers.of("x-api-key", "proxy-token-1234"))).isEqualTo("owner");
        keys.revoke(id);
        assertThat(owned.allows(Route.RESPONSES, Headers.of("x-api-key", secret))).isFalse();
    }

    private static final class MemoryKeys implements io.proxygate.application.port.out.ClientKeyStorePort {
        private final java.util.Map<String, io.proxygate.domain.clientkey.ClientKey> keys =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public List<io.proxygate.domain.clientkey.ClientKey> all() {
            return List.copyOf(keys.values());
        }

        @Override
        public void insert(io.proxygate.domain.clientkey.ClientKey key) {
            keys.put(key.id(), key);
        }

        @Override
        public void update(io.proxygate.domain.clientkey.ClientKey key) {
            keys.put(key.id(), key);
        }

        @Override
        public boolean delete(String id) {
            return keys.remove(id) != null;
        }

        @Override
        public java.util.Map<String, io.proxygate.application.clientkey.ClientKeyUsage> usageBetween(
                java.time.Instant from, java.time.Instant to) {
            return java.util.Map.of();
        }

        @Override
        public java.util.Map<String, java.time.Instant> lastUsed() {
            return java.util.Map.of();
        }
    }
}
