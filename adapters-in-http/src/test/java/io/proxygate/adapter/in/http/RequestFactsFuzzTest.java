package io.proxygate.adapter.in.http;

import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.RequestFacts;
import io.proxygate.application.http.Route;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Fuzzing the request-field extractor with generated bodies (fixed seeds, bounded tries): any bytes either yield
 * facts or a 400 ("invalid request body"), never another exception; and a valid body's facts survive any amount of
 * unrelated nesting around them.
 */
class RequestFactsFuzzTest {
    private static final String VALID = "{\"model\":\"gpt-5\",\"stream\":true,\"prompt_cache_key\":\"conv-1\","
            + "\"metadata\":{\"user_id\":\"{\\\"session_id\\\":\\\"s-1\\\"}\"},\"input\":[{\"role\":\"user\","
            + "\"content\":[{\"type\":\"input_text\",\"text\":\"hé 🌍\"}]}],\"service_tier\":\"flex\"}";

    @Provide
    Arbitrary<byte[]> jsonish() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\\", "\"model\"", "\"stream\"",
                "\"metadata\"", "\"user_id\"", "true", "false", "null", "1e999", "-0", "\"gpt-5\"", " ", "\n", "\u0000",
                "\\u0000", "\\ud800", "é", "🌍", "{\"a\":", "[[[[", "]]]]");
        return Arbitraries.oneOf(
                token.list().ofMaxSize(60).map(t -> String.join("", t).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).map(RequestFactsFuzzTest::mangledValid));
    }

    private static byte[] mangledValid(int seed) {
        Random random = new Random(seed);
        byte[] bytes = VALID.getBytes(StandardCharsets.UTF_8);
        for (int i = 0, edits = 1 + random.nextInt(3); i < edits; i++) {
            int at = random.nextInt(bytes.length);
            if (random.nextBoolean()) {
                bytes[at] = (byte) random.nextInt(256);
            } else {
                bytes = java.util.Arrays.copyOf(bytes, at);
            }
        }
        return bytes;
    }

    @Property(tries = 600, seed = "20261126")
    void anyBodyYieldsFactsOrA400(@ForAll("jsonish") byte[] body) {
        for (Route route : List.of(Route.RESPONSES, Route.MESSAGES, Route.CHAT_COMPLETIONS)) {
            Throwable thrown = catchThrowable(() -> {
                RequestFacts facts = RequestFactsReader.read(route, body, Headers.EMPTY);
                assertThat(facts.model()).isNotBlank();
            });
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(RequestBodies.BadRequest.class);
                assertThat(thrown.getMessage()).startsWith("invalid request body");
            }
        }
    }

    @Property(tries = 200, seed = "20261127")
    void nestingAroundTheFieldsDoesNotHideThem(@ForAll("depth") int depth) {
        String noise = "[".repeat(depth) + "{\"model\":\"decoy\",\"stream\":false}" + "]".repeat(depth);
        byte[] body = ("{\"noise\":" + noise + "," + VALID.substring(1)).getBytes(StandardCharsets.UTF_8);
        RequestFacts facts = RequestFactsReader.read(Route.RESPONSES, body, Headers.EMPTY);
        assertThat(facts.model()).isEqualTo("gpt-5");
        assertThat(facts.stream()).isTrue();
        assertThat(facts.serviceTier()).hasValue("flex");
        assertThat(facts.conversation()).isPresent();
    }

    @Provide
    Arbitrary<Integer> depth() {
        return Arbitraries.integers().between(0, 500);
    }
}
