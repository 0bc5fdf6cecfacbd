package io.proxygate.domain.routing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The latest known usage windows of a subscription account and when they were observed. */
public record UsageWindows(Optional<UsageWindow> fiveHour, Optional<UsageWindow> weekly, boolean limitReached,
                           Instant observedAt) {
    public UsageWindows {
        fiveHour = fiveHour == null ? Optional.empty() : fiveHour;
        weekly = weekly == null ? Optional.empty() : weekly;
        Objects.requireNonNull(observedAt, "observedAt");
    }
}
