package io.proxygate.domain.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** Placeholder until the routing branch lands: default cooldown only. */
public final class RetryAfter {
    private RetryAfter() {
    }

    public static Duration parse(Function<String, Optional<String>> header, String body, Instant now) {
        return header.apply("retry-after").map(v -> Duration.ofSeconds(Long.parseLong(v.trim())))
                .orElse(Duration.ofSeconds(60));
    }
}
