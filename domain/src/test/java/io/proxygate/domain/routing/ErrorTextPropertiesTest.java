package io.proxygate.domain.routing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The upstream error-text readers are fed whatever a server sends: they must never throw (a regex over a 4 KiB
 * message used to overflow the stack), must stay fast on pathological bodies, and must read back what a
 * well-formed body says.
 */
class ErrorTextPropertiesTest {
    private static final Instant NOW = Instant.parse("2026-04-26T12:00:00Z");

    @Provide
    Arbitrary<String> hostileBodies() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("\"message\"", "\"error\"", ":", " ", "{", "}", "\"", "\\", "\\\"", "\\u00", "\\u0041",
                        "retry", "after", "quotaResetDelay", "ms", "s", "sec", "5", "1.5", "\n", "\u0000", "é"),
                Arbitraries.strings().ofMaxLength(8));
        return token.list().ofMaxSize(400).map(parts -> String.join("", parts));
    }

    @Property(tries = 300, seed = "23")
    void neverThrowsOnAnyBody(@ForAll("hostileBodies") String body) {
        assertThatCode(() -> {
            ErrorText.message(body);
            ErrorText.errorObjectMessage(body);
            ErrorText.quotaResetDelayNanos(body);
            ErrorText.retryAfterSeconds(body);
            Duration d = RetryAfter.parse(name -> Optional.empty(), body, NOW);
            assertThat(d).isPositive().isLessThanOrEqualTo(RetryAfter.MAX);
        }).doesNotThrowAnyException();
    }

    @Property(tries = 200, seed = "23")
    void readsBackAnyMessageAJsonEncoderWrote(@ForAll @StringLength(max = 6000) String message) {
        String body = "{\"error\":{\"type\":\"rate_limit_error\",\"message\":" + jsonString(message) + "}}";
        String expected = message.replaceAll("[\n\r\t\b\f]", " ");
        expected = expected.length() > ErrorText.MAX_MESSAGE_CHARS
                ? expected.substring(0, ErrorText.MAX_MESSAGE_CHARS) : expected;
        assertThat(ErrorText.message(body)).contains(expected);
        assertThat(ErrorText.errorObjectMessage(body)).contains(expected);
    }

    @Property(tries = 100, seed = "23")
    void retryAfterHeaderValuesOfAnyShapeGiveACappedPositiveDelay(
            @ForAll("headerValues") String value, @ForAll("headerNames") String name) {
        Duration d = RetryAfter.parse(n -> n.equals(name) ? Optional.of(value) : Optional.empty(), "", NOW);
        assertThat(d).isPositive().isLessThanOrEqualTo(RetryAfter.MAX);
    }

    @Provide
    Arbitrary<String> headerValues() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), Arbitraries.longs().map(String::valueOf),
                Arbitraries.of("Sun, 26 Apr 2026 12:01:30 GMT", "-1", "0", "99999999999999999999", "1e3", " 5 "));
    }

    @Provide
    Arbitrary<String> headerNames() {
        return Arbitraries.of("retry-after-ms", "retry-after", "x-ratelimit-reset");
    }

    @Test
    void aMessageOfFourKibAndMoreIsReadWithoutOverflowingTheStack() {
        for (int size : new int[]{4 * 1024, 64 * 1024, 1024 * 1024}) {
            String message = "x\\\"y".repeat(size / 4);
            String body = "{\"error\":{\"message\":\"" + message + " retry after 7 sec\"}}";
            assertThat(ErrorText.message(body)).isPresent();
            assertThat(RetryAfter.parse(name -> Optional.empty(), body, NOW)).isEqualTo(Duration.ofSeconds(7));
        }
    }

    @Test
    void pathologicalBodiesAreReadInLinearTime() {
        Map<String, String> bodies = Map.of(
                "unterminated strings with escaped quotes", "\"message\":\"\\\"".repeat(60_000),
                "keys without values", "\"message\"".repeat(60_000),
                "error keys without objects", "\"error\":".repeat(60_000),
                "retry words without numbers", "retry after ".repeat(60_000),
                "quota keys without units", "quotaResetDelay: 5".repeat(60_000),
                "one long escape run", "{\"message\":\"" + "\\\\".repeat(300_000));
        bodies.forEach((what, body) -> {
            long start = System.nanoTime();
            ErrorText.message(body);
            ErrorText.errorObjectMessage(body);
            RetryAfter.parse(name -> Optional.empty(), body, NOW);
            long millis = (System.nanoTime() - start) / 1_000_000;
            // Generous for a slow shared machine; a quadratic scan of these ~600 KB bodies takes minutes.
            assertThat(millis).as(what).isLessThan(2_000);
        });
    }

    @Test
    void readsTheFirstMessageAndDecodesEscapes() {
        assertThat(ErrorText.message("{\"error\":{\"message\":\"a \\\"quoted\\\" \\u0041\\nb\"}}"))
                .contains("a \"quoted\" A b");
        assertThat(ErrorText.message("{\"message\" : 5, \"x\":{\"message\":\"second\"}}")).contains("second");
        assertThat(ErrorText.message("{\"message\":\"never closed")).isEmpty();
        assertThat(ErrorText.errorObjectMessage("{\"message\":\"outer\",\"error\":{\"message\":\"inner\"}}"))
                .contains("inner");
    }

    @Test
    void readsDelaysWrittenInTheText() {
        assertThat(ErrorText.quotaResetDelayNanos("quotaResetDelay: 1.5s")).contains(1_500_000_000L);
        assertThat(ErrorText.quotaResetDelayNanos("\"quotaResetDelay\":\"250ms\"")).contains(250_000_000L);
        assertThat(ErrorText.quotaResetDelayNanos("quotaResetDelay 5 minutes")).isEmpty();
        assertThat(ErrorText.retryAfterSeconds("Please retry after 30 sec")).contains(30L);
        assertThat(ErrorText.retryAfterSeconds("retry 12s")).contains(12L);
        assertThat(ErrorText.retryAfterSeconds("retry 12 seconds")).contains(12L);
        assertThat(ErrorText.retryAfterSeconds("retry 12 stones")).isEmpty();
        assertThat(ErrorText.retryAfterSeconds("retry12s")).isEmpty();
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (c > 0x7e && (s.hashCode() & 1) == 0)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
