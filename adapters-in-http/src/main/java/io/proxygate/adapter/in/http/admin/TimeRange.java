package io.proxygate.adapter.in.http.admin;

import io.proxygate.application.admin.AdminFailure;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code since}/{@code until} query values: an RFC 3339 time, a local date ({@code 2025-06-01}, its midnight), or an
 * age before now ({@code 90m}, {@code 24h}, {@code 7d}). Defaults: the last 24 hours.
 */
record TimeRange(Instant from, Instant to) {
    private static final Pattern AGE = Pattern.compile("(\\d{1,6})\\s*([smhdw])");
    static final Duration DEFAULT_SPAN = Duration.ofHours(24);

    static TimeRange parse(String since, String until, Instant now, ZoneId zone) {
        Instant to = blank(until) ? now : instant(until, "until", now, zone);
        Instant from = blank(since) ? to.minus(DEFAULT_SPAN) : instant(since, "since", now, zone);
        if (!from.isBefore(to)) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, "since must be before until");
        }
        return new TimeRange(from, to);
    }

    private static Instant instant(String text, String name, Instant now, ZoneId zone) {
        String t = text.trim();
        Matcher age = AGE.matcher(t.toLowerCase(Locale.ROOT));
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration unit = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return now.minus(unit.multipliedBy(n));
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // not a full timestamp: try a date
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID,
                    name + " must be an RFC 3339 time, a date (YYYY-MM-DD) or an age such as 24h or 7d");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
