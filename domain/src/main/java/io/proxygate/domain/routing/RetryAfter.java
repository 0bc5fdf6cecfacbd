package io.proxygate.domain.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads how long to cool a credential down after a 429, the first of these that is present: {@code retry-after-ms},
 * {@code retry-after} (seconds or an HTTP date), {@code x-ratelimit-reset} (epoch seconds), a delay written in the
 * error text ({@code quotaResetDelay: 5s}, {@code retry after 30 sec}; read by {@link ErrorText}, linear in the body),
 * else 60 s. Every answer is at most 30 min.
 */
public final class RetryAfter {
    public static final Duration DEFAULT = Duration.ofSeconds(60);
    public static final Duration MAX = Duration.ofMinutes(30);

    private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private RetryAfter() {
    }

    /**
     * @param header looks a response header up by its lower-case name
     * @param body   the response body, possibly empty or null
     * @param now    the current time, for dates and epoch resets
     */
    public static Duration parse(Function<String, Optional<String>> header, String body, Instant now) {
        Optional<Long> millis = header.apply("retry-after-ms").flatMap(RetryAfter::positiveLong);
        if (millis.isPresent()) {
            return capped(Duration.ofMillis(millis.get()));
        }
        Optional<String> retryAfter = header.apply("retry-after").map(String::trim);
        if (retryAfter.isPresent()) {
            Optional<Long> seconds = positiveLong(retryAfter.get());
            if (seconds.isPresent()) {
                return capped(Duration.ofSeconds(seconds.get()));
            }
            Optional<Instant> date = httpDate(retryAfter.get());
            if (date.isPresent() && date.get().isAfter(now)) {
                return capped(Duration.between(now, date.get()));
            }
        }
        // Epoch seconds past what Instant holds would throw; no sane reset is further than a century away.
        Optional<Long> reset = header.apply("x-ratelimit-reset").flatMap(RetryAfter::parseLong)
                .filter(v -> v > -10_000_000_000L && v < 10_000_000_000L);
        if (reset.isPresent()) {
            Instant at = Instant.ofEpochSecond(reset.get());
            if (at.isAfter(now)) {
                return capped(Duration.between(now, at));
            }
        }
        Optional<Duration> fromText = fromBody(body);
        if (fromText.isPresent()) {
            return capped(fromText.get());
        }
        return DEFAULT;
    }

    /** The delay the error text names: in the error object's message first, else anywhere in the body. */
    private static Optional<Duration> fromBody(String body) {
        if (body == null || body.isEmpty()) {
            return Optional.empty();
        }
        Optional<Duration> inMessage = ErrorText.errorObjectMessage(body).flatMap(RetryAfter::fromText);
        return inMessage.isPresent() ? inMessage : fromText(body);
    }

    private static Optional<Duration> fromText(String text) {
        Optional<Long> quotaNanos = ErrorText.quotaResetDelayNanos(text);
        if (quotaNanos.isPresent()) {
            return Optional.of(Duration.ofNanos(quotaNanos.get()));
        }
        return ErrorText.retryAfterSeconds(text).filter(s -> s > 0).map(Duration::ofSeconds);
    }

    private static Duration capped(Duration d) {
        if (d.isNegative()) {
            return DEFAULT;
        }
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    private static Optional<Long> positiveLong(String text) {
        return parseLong(text).filter(v -> v > 0);
    }

    private static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The three date forms HTTP allows: RFC 1123, RFC 850 and asctime (which is always GMT). */
    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            // not RFC 1123
        }
        try {
            return Optional.of(ZonedDateTime.parse(text, RFC_850).toInstant());
        } catch (DateTimeParseException e) {
            // not RFC 850
        }
        try {
            return Optional.of(LocalDateTime.parse(text, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
