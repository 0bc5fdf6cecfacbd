package io.proxygate.adapter.out.upstream;

import io.proxygate.application.http.Headers;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads subscription usage windows from the rate-limit headers the upstreams attach to every reply, so the windows
 * stay fresh between usage polls: the Codex backend's {@code x-codex-primary-*} / {@code x-codex-secondary-*}
 * (percent used, window minutes, reset) and Anthropic's unified {@code anthropic-ratelimit-unified-5h-*} /
 * {@code -7d-*} (fraction used, reset, status). Windows are classified by their length, not by their slot: some plans
 * have a weekly-only primary.
 */
final class RateLimitHeaders {
    private static final String CODEX = "x-codex-";
    private static final String UNIFIED = "anthropic-ratelimit-unified-";
    private static final long DAY_MINUTES = 24 * 60;

    private RateLimitHeaders() {
    }

    static Optional<UsageWindows> parse(Headers headers, Instant now) {
        return codex(headers, now).or(() -> unified(headers, now));
    }

    private static Optional<UsageWindows> codex(Headers h, Instant now) {
        Optional<UsageWindow> fiveHour = Optional.empty();
        Optional<UsageWindow> weekly = Optional.empty();
        boolean any = false;
        for (String slot : new String[] {"primary", "secondary"}) {
            Optional<Double> percent = number(h, CODEX + slot + "-used-percent");
            if (percent.isEmpty()) {
                continue;
            }
            any = true;
            Optional<Long> minutes = number(h, CODEX + slot + "-window-minutes").map(Double::longValue)
                    .filter(m -> m > 0);
            Optional<Instant> reset = number(h, CODEX + slot + "-reset-at")
                    .map(s -> Instant.ofEpochSecond(s.longValue()))
                    .or(() -> number(h, CODEX + slot + "-reset-after-seconds")
                            .map(s -> now.plusSeconds(s.longValue())));
            boolean isFiveHour = minutes.map(m -> m <= DAY_MINUTES).orElse(slot.equals("primary"));
            Duration length = minutes.map(Duration::ofMinutes)
                    .orElse(isFiveHour ? UsageWindow.FIVE_HOURS : UsageWindow.WEEK);
            UsageWindow window = new UsageWindow(percent.get() / 100.0, reset, length);
            if (isFiveHour && fiveHour.isEmpty()) {
                fiveHour = Optional.of(window);
            } else if (!isFiveHour && weekly.isEmpty()) {
                weekly = Optional.of(window);
            }
        }
        if (!any) {
            return Optional.empty();
        }
        boolean reached = spent(fiveHour) || spent(weekly);
        return Optional.of(new UsageWindows(fiveHour, weekly, reached, now));
    }

    private static Optional<UsageWindows> unified(Headers h, Instant now) {
        Optional<UsageWindow> fiveHour = unifiedWindow(h, "5h", UsageWindow.FIVE_HOURS);
        Optional<UsageWindow> weekly = unifiedWindow(h, "7d", UsageWindow.WEEK);
        Optional<String> status = h.first(UNIFIED + "status");
        if (fiveHour.isEmpty() && weekly.isEmpty() && status.isEmpty()) {
            return Optional.empty();
        }
        boolean rejected = status.map(RateLimitHeaders::isRejected).orElse(false)
                || h.first(UNIFIED + "5h-status").map(RateLimitHeaders::isRejected).orElse(false)
                || h.first(UNIFIED + "7d-status").map(RateLimitHeaders::isRejected).orElse(false);
        return Optional.of(new UsageWindows(fiveHour, weekly, rejected || spent(fiveHour) || spent(weekly), now));
    }

    private static Optional<UsageWindow> unifiedWindow(Headers h, String name, Duration length) {
        return number(h, UNIFIED + name + "-utilization").map(fraction -> new UsageWindow(fraction,
                number(h, UNIFIED + name + "-reset").map(s -> Instant.ofEpochSecond(s.longValue())), length));
    }

    private static boolean isRejected(String status) {
        return status.trim().equalsIgnoreCase("rejected");
    }

    private static boolean spent(Optional<UsageWindow> window) {
        return window.map(w -> w.usedFraction() >= 1.0).orElse(false);
    }

    /** A finite, non-negative number, or empty. */
    private static Optional<Double> number(Headers h, String name) {
        return h.first(name).flatMap(v -> {
            try {
                double d = Double.parseDouble(v.trim());
                return Double.isFinite(d) && d >= 0 ? Optional.of(d) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
