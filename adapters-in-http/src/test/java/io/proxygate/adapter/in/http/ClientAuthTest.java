package io.proxygate.adapter.in.http;

import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        ClientKeyService keys = clientKeys();
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

    @Test
    void onceAClientKeyExistsClaudeTokensNoLongerPassAsTheOwner() {
        ClientKeyService keys = clientKeys();
        ClientAuth pooled = new ClientAuth(PROXY_TOKEN, true, true, () -> List.of(Secret.of(POOLED)),
                Optional.of(keys));
        assertThat(pooled.identify(Route.MESSAGES, Headers.of("x-api-key", POOLED))).isEqualTo("owner");

        keys.create("carol", io.proxygate.domain.clientkey.ClientKeyRules.NONE);
        assertThat(pooled.allows(Route.MESSAGES, Headers.of("x-api-key", POOLED))).isFalse();
        assertThat(pooled.allows(Route.MESSAGES, Headers.of("x-api-key", "sk-ant-oat01-test-someone-elses")))
                .isFalse();
        assertThat(pooled.identify(Route.MESSAGES, Headers.of("x-api-key", "proxy-token-1234"))).isEqualTo("owner");
    }

    @Test
    void withNoTokenAndNoClientKeysTheRoutesAreOpenToAnyone() {
        ClientAuth open = new ClientAuth(Optional.empty(), true, false, List::of);

        assertThat(open.open()).isTrue();
        assertThat(open.identify(Route.RESPONSES, Headers.EMPTY)).isEqualTo("open");
        assertThat(open.identify(Route.MESSAGES, Headers.of("x-api-key", "whatever"))).isEqualTo("open");
        assertThat(auth(false).open()).isFalse();
    }

    @Test
    void aRefusalIsA401AuthenticationErrorThatNeverEchoesTheToken() {
        assertThatThrownBy(() -> auth(false).identify(Route.RESPONSES, Headers.of("x-api-key", "sk-test-wrong-secret")))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> {
                    assertThat(f.status()).isEqualTo(401);
                    assertThat(f.errorType()).isEqualTo("authentication_error");
                    assertThat(f.getMessage()).doesNotContain("sk-test-wrong-secret");
                });
        assertThatThrownBy(() -> auth(false).identify(Route.RESPONSES, Headers.EMPTY))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> assertThat(f.status()).isEqualTo(401));
    }

    @Test
    void theTokenIsTakenFromAuthorizationThenXProxyGateTokenThenXApiKey() {
        assertThat(ClientAuth.presented(Headers.of("Authorization", "Bearer from-auth", "X-ProxyGate-Token",
                "from-proxygate", "x-api-key", "from-api-key"))).contains("from-auth");
        assertThat(ClientAuth.presented(Headers.of("X-ProxyGate-Token", "from-proxygate", "x-api-key",
                "from-api-key"))).contains("from-proxygate");
        assertThat(ClientAuth.presented(Headers.of("x-api-key", "  from-api-key "))).contains("from-api-key");
        assertThat(ClientAuth.presented(Headers.EMPTY)).isEmpty();
    }

    @Test
    void anAuthorizationHeaderWithoutBearerOrWithNothingInIt() {
        assertThat(ClientAuth.presented(Headers.of("Authorization", "raw-token"))).contains("raw-token");
        assertThat(ClientAuth.presented(Headers.of("Authorization", "Bearer   spaced  "))).contains("spaced");
        // An empty Authorization (some SDKs send one when given no key) does not hide the x-api-key behind it.
        assertThat(ClientAuth.presented(Headers.of("Authorization", "Bearer ", "x-api-key", "from-api-key")))
                .contains("from-api-key");
        assertThat(auth(false).allows(Route.RESPONSES, Headers.of("Authorization", "", "x-api-key",
                "proxy-token-1234"))).isTrue();
    }

    @Test
    void onLoopbackTheSamePooledTokenPassesWithoutTheProxyToken() {
        // listens_on_loopback is what the wiring passes as acceptPooledClaudeTokens.
        ClientAuth loopback = new ClientAuth(PROXY_TOKEN, true, false, () -> List.of(Secret.of(POOLED)));
        ClientAuth remote = new ClientAuth(PROXY_TOKEN, false, false, () -> List.of(Secret.of(POOLED)));

        assertThat(loopback.identify(Route.MESSAGES, Headers.of("Authorization", "Bearer " + POOLED)))
                .isEqualTo("owner");
        assertThat(remote.allows(Route.MESSAGES, Headers.of("Authorization", "Bearer " + POOLED))).isFalse();
        // Loopback alone proves nothing about an arbitrary Claude token: only the pool's own ones pass.
        assertThat(loopback.allows(Route.MESSAGES, Headers.of("x-api-key", "sk-ant-oat01-test-not-in-the-pool")))
                .isFalse();
        assertThat(loopback.allows(Route.MESSAGES, Headers.of("x-api-key", POOLED + "x"))).isFalse();
    }

    @Test
    void thePoolIsReadAtEachRequestSoANewlyAddedAccountsTokenPassesAndARemovedOneStops() {
        List<Secret> pool = new CopyOnWriteArrayList<>();
        ClientAuth loopback = new ClientAuth(PROXY_TOKEN, true, false, () -> pool);
        String token = "sk-ant-oat01-test-added-later";

        assertThat(loopback.allows(Route.MESSAGES, Headers.of("x-api-key", token))).isFalse();
        pool.add(Secret.of(token));
        assertThat(loopback.allows(Route.MESSAGES, Headers.of("x-api-key", token))).isTrue();
        pool.clear();
        assertThat(loopback.allows(Route.MESSAGES, Headers.of("x-api-key", token))).isFalse();
    }

    @Test
    void acceptingClaudeClientsTakesTheirTokensOnMessagesEvenOffLoopbackButNotShortOnes() {
        ClientAuth accepting = new ClientAuth(PROXY_TOKEN, false, true, List::of);

        assertThat(accepting.allows(Route.MESSAGES, Headers.of("x-api-key", "sk-ant-oat01-test-longer"))).isTrue();
        assertThat(accepting.allows(Route.MESSAGES, Headers.of("x-api-key", "sk-ant-oat01-short"))).isFalse();
        assertThat(accepting.allows(Route.MESSAGES, Headers.of("x-api-key", "sk-ant-api03-test-fake-key")))
                .isFalse();
        assertThat(accepting.allows(Route.RESPONSES, Headers.of("x-api-key", "sk-ant-oat01-test-longer"))).isFalse();
    }

    @Test
    void anUnknownOrRevokedClientKeyIsRefusedWithItsReasonAndAKeyLikeProxyTokenStillPasses() {
        ClientKeyService keys = clientKeys();
        String secret = keys.create("bob", io.proxygate.domain.clientkey.ClientKeyRules.NONE).secret();
        // An owner whose proxy token happens to start like a client key is still the owner.
        String keyLikeToken = ClientKeyService.SECRET_PREFIX + "owner-token-0000";
        ClientAuth auth = new ClientAuth(Optional.of(Secret.of(keyLikeToken)), true, false, List::of,
                Optional.of(keys));

        assertThat(auth.identify(Route.RESPONSES, Headers.of("x-api-key", keyLikeToken))).isEqualTo("owner");
        assertThatThrownBy(() -> auth.identify(Route.RESPONSES, Headers.of("x-api-key", secret + "x")))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> assertThat(f.getMessage())
                        .isEqualTo("invalid client key"));
        keys.revoke(keys.find("bob").id());
        assertThatThrownBy(() -> auth.identify(Route.RESPONSES, Headers.of("x-api-key", secret)))
                .isInstanceOfSatisfying(ProxyFailure.class, f -> assertThat(f.getMessage()).contains("revoked"));
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

    /** Client keys kept in memory, unpriced, on the system clock with UTC days: only who holds which key matters here. */
    private static ClientKeyService clientKeys() {
        return new ClientKeyService(new MemoryKeys(), io.proxygate.application.usage.CostEstimator.UNPRICED,
                java.time.InstantSource.system(), java.time.ZoneOffset.UTC, new java.security.SecureRandom(), false);
    }
}
