package io.proxygate.application.clientkey;

import io.proxygate.application.port.out.ClientKeyStorePort;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.http.Route;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.clientkey.ClientKey;
import io.proxygate.domain.clientkey.ClientKeyRules;
import io.proxygate.domain.usage.TokenUsage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientKeyServiceTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-31T23:59:00Z"));
    private final MemoryStore store = new MemoryStore();
    /** Every prompt is priced at $1 per 1000 bytes of body (4 bytes a token, $0.004 a token). */
    private final ClientKeyService keys = new ClientKeyService(store, (model, tier, tokens) ->
            Optional.of(BigDecimal.valueOf(tokens.inputTokens()).multiply(new BigDecimal("0.004"))),
            now::get, ZoneOffset.UTC, new SecureRandom(), false);

    @Test
    void secretsAreRandomPrefixedAndStoredOnlyAsTheirHash() {
        CreatedClientKey a = keys.create("a", ClientKeyRules.NONE);
        CreatedClientKey b = keys.create("b", ClientKeyRules.NONE);
        assertThat(a.secret()).startsWith("pgk_").hasSize(4 + 32).isNotEqualTo(b.secret());
        assertThat(store.keys.get(a.key().id()).secretHash()).isEqualTo(ClientKeyService.hash(a.secret()))
                .doesNotContain(a.secret());
        assertThat(a.key().prefix()).isEqualTo(a.secret().substring(0, 12));
        assertThat(a.toString()).doesNotContain(a.secret());
        assertThat(keys.authenticate(a.secret()).id()).isEqualTo(a.key().id());
        assertThatThrownBy(() -> keys.authenticate(a.secret() + "x")).isInstanceOf(ProxyFailure.class);
    }

    @Test
    void namesWithControlCharactersAreRefusedOnCreateAndRename() {
        for (String name : List.of("evil\nINFO forged line", "tab\there", "esc\u001b[31mred", "del\u007f",
                "c1\u0085next", "rlo\u202Egnp.exe", "isolate\u2066x", "sep\u2028x")) {
            assertThatThrownBy(() -> keys.create(name, ClientKeyRules.NONE)).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
        }
        assertThat(store.keys).isEmpty();
        CreatedClientKey ok = keys.create("  Team \u00e9t\u00e9 \uD83D\uDE80  ", ClientKeyRules.NONE);
        assertThat(ok.key().name()).isEqualTo("Team \u00e9t\u00e9 \uD83D\uDE80");
        assertThatThrownBy(() -> keys.update(ok.key().id(), Optional.of("renamed\r\nx"), ClientKeyRules.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
        assertThatThrownBy(() -> keys.update(ok.key().id(), Optional.of("x".repeat(101)), ClientKeyRules.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.keys.get(ok.key().id()).name()).isEqualTo("Team \u00e9t\u00e9 \uD83D\uDE80");
    }

    @Test
    void parallelRequestsReserveTheirPromptCostSoTheBudgetIsNotOvershotByMoreThanOneEach() {
        ClientKey key = keys.create("ci", budget("1.00")).key();
        // Each request reserves $0.40 (a 400-byte prompt): two fit under $1, the third would not.
        ClientKeyService.Ticket first = keys.admit(key.id(), Route.MESSAGES, "claude-sonnet-4-5", 400);
        ClientKeyService.Ticket second = keys.admit(key.id(), Route.MESSAGES, "claude-sonnet-4-5", 400);
        ClientKeyService.Ticket third = keys.admit(key.id(), Route.MESSAGES, "claude-sonnet-4-5", 400);
        ProxyFailure held = catchFailure(() -> keys.admit(key.id(), Route.MESSAGES, "claude-sonnet-4-5", 400));
        assertThat(held.status()).isEqualTo(429);
        assertThat(held.getMessage()).contains("daily budget taken up by requests in flight")
                .contains("$0 spent and $1.2 reserved of $1");
        assertThat(held.retryAfter()).as("frees as they end, not at midnight").contains(Duration.ofSeconds(2));
        // Settled at their real cost, the slots come back.
        for (ClientKeyService.Ticket t : List.of(first, second, third)) {
            keys.recorded(record(key.id(), "0.10"));
            t.close();
        }
        keys.admit(key.id(), Route.MESSAGES, "claude-sonnet-4-5", 400).close();
        keys.recorded(record(key.id(), "0.80"));
        ProxyFailure refused = catchFailure(() -> keys.admit(key.id(), Route.MESSAGES, "claude-sonnet-4-5", 10));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.retryAfter()).contains(Duration.ofMinutes(1)); // local midnight
        // What costs nothing stays open over budget: the model list and token counting.
        keys.admit(key.id(), Route.MODELS, null, 0).close();
        keys.admit(key.id(), Route.MESSAGES_COUNT_TOKENS, "claude-sonnet-4-5", 400).close();
        assertThat(keys.list().get(0).state()).isEqualTo("active"); // the store's rows, not this instance's ledger
    }

    @Test
    void aNewDayAndANewMonthResetTheBudgets() {
        ClientKey key = keys.create("ci", new ClientKeyRules(List.of(), List.of(), Optional.of(BigDecimal.ONE),
                Optional.of(new BigDecimal("1.5")), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of())).key();
        keys.admit(key.id(), Route.CHAT_COMPLETIONS, "gpt-4o", 0).close();
        keys.recorded(record(key.id(), "1.2"));
        assertThat(catchFailure(() -> keys.admit(key.id(), Route.CHAT_COMPLETIONS, "gpt-4o", 0)).getMessage())
                .contains("daily budget");
        // April 1st: the day and the month both reset (the store has no rows for them).
        now.set(Instant.parse("2026-04-01T00:00:01Z"));
        keys.admit(key.id(), Route.CHAT_COMPLETIONS, "gpt-4o", 0).close();
    }

    @Test
    void rulesRateAndConcurrencyLimits() {
        ClientKey key = keys.create("intern", new ClientKeyRules(List.of("gpt-5*"), List.of("responses"),
                Optional.empty(), Optional.empty(), Optional.of(3), Optional.of(1), Optional.empty(), Map.of()))
                .key();
        assertThat(catchFailure(() -> keys.admit(key.id(), Route.RESPONSES, "gpt-4o", 10)).getMessage())
                .contains("gpt-4o").contains("not allowed");
        assertThat(catchFailure(() -> keys.admit(key.id(), Route.MESSAGES, "gpt-5", 10)).status()).isEqualTo(403);
        keys.admit(key.id(), Route.MODELS, null, 0).close(); // the model list is always allowed, and uncounted

        ClientKeyService.Ticket running = keys.admit(key.id(), Route.RESPONSES, "gpt-5", 10);
        ProxyFailure busy = catchFailure(() -> keys.admit(key.id(), Route.RESPONSES, "gpt-5", 10));
        assertThat(busy.status()).isEqualTo(429);
        assertThat(busy.getMessage()).contains("max_concurrent");
        running.close();
        running.close(); // closing twice frees one slot only
        keys.admit(key.id(), Route.RESPONSES, "gpt-5", 10).close();
        keys.admit(key.id(), Route.RESPONSES, "gpt-5", 10).close();
        ProxyFailure rate = catchFailure(() -> keys.admit(key.id(), Route.RESPONSES, "gpt-5", 10));
        assertThat(rate.getMessage()).contains("3 requests per minute");
        assertThat(rate.retryAfter()).isPresent();
        now.set(now.get().plusSeconds(61));
        keys.admit(key.id(), Route.RESPONSES, "gpt-5", 10).close();
    }

    @Test
    void revokedAndExpiredKeysAreRefusedAndOnlyRevokedOnesDeleted() {
        CreatedClientKey temp = keys.create("temp", new ClientKeyRules(List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(now.get().plusSeconds(30)),
                Map.of()));
        keys.authenticate(temp.secret());
        now.set(now.get().plusSeconds(30));
        assertThat(catchFailure(() -> keys.authenticate(temp.secret())).getMessage()).contains("expired");
        assertThat(keys.list().get(0).state()).isEqualTo("expired");
        assertThatThrownBy(() -> keys.delete("temp")).isInstanceOf(IllegalStateException.class);
        keys.revoke("temp");
        assertThat(catchFailure(() -> keys.authenticate(temp.secret())).getMessage()).contains("revoked");
        keys.delete(temp.key().id());
        assertThat(keys.any()).isFalse();
    }

    @Test
    void expiriesReadDurationsDatesAndTimes() {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        assertThat(ClientKeyService.expiry("30d", t, ZoneOffset.UTC)).isEqualTo(t.plus(Duration.ofDays(30)));
        assertThat(ClientKeyService.expiry("12h", t, ZoneOffset.UTC)).isEqualTo(t.plus(Duration.ofHours(12)));
        assertThat(ClientKeyService.expiry("2026-12-31", t, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(ClientKeyService.expiry("2026-12-31T08:00:00+02:00", t, ZoneOffset.UTC))
                .isEqualTo(Instant.parse("2026-12-31T06:00:00Z"));
        assertThatThrownBy(() -> ClientKeyService.expiry("soon", t, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ClientKeyRules budget(String daily) {
        return new ClientKeyRules(List.of(), List.of(), Optional.of(new BigDecimal(daily)), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    private RequestRecord record(String clientKey, String cost) {
        return new RequestRecord("r", now.get(), "/v1/messages", "claude-pool", Optional.empty(), "claude-sonnet-4-5",
                Optional.empty(), 200, new TokenUsage(1, 0, 0, 1, 0), Optional.of(new BigDecimal(cost)),
                Duration.ofMillis(5), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false,
                "", clientKey);
    }

    private static ProxyFailure catchFailure(Runnable action) {
        try {
            action.run();
        } catch (ProxyFailure f) {
            return f;
        }
        throw new AssertionError("expected a refusal");
    }

    private static final class MemoryStore implements ClientKeyStorePort {
        final Map<String, ClientKey> keys = new HashMap<>();

        @Override
        public List<ClientKey> all() {
            return new ArrayList<>(keys.values());
        }

        @Override
        public void insert(ClientKey key) {
            keys.put(key.id(), key);
        }

        @Override
        public void update(ClientKey key) {
            keys.put(key.id(), key);
        }

        @Override
        public boolean delete(String id) {
            return keys.remove(id) != null;
        }

        @Override
        public Map<String, ClientKeyUsage> usageBetween(Instant from, Instant to) {
            return Map.of();
        }

        @Override
        public Map<String, Instant> lastUsed() {
            return Map.of();
        }
    }
}
