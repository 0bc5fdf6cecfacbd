package io.proxygate.domain.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Test builder for usage observations. */
final class Usage {
    private Optional<UsageWindow> five = Optional.empty();
    private Optional<UsageWindow> week = Optional.empty();
    private boolean limitReached;
    private Instant observedAt;

    private Usage(Instant observedAt) {
        this.observedAt = observedAt;
    }

    static Usage observedAt(Instant at) {
        return new Usage(at);
    }

    Usage five(double used) {
        five = Optional.of(new UsageWindow(used, Optional.empty(), UsageWindow.FIVE_HOURS));
        return this;
    }

    Usage five(double used, Duration resetsIn) {
        five = Optional.of(new UsageWindow(used, Optional.of(observedAt.plus(resetsIn)), UsageWindow.FIVE_HOURS));
        return this;
    }

    Usage week(double used) {
        week = Optional.of(new UsageWindow(used, Optional.empty(), UsageWindow.WEEK));
        return this;
    }

    Usage week(double used, Duration resetsIn) {
        week = Optional.of(new UsageWindow(used, Optional.of(observedAt.plus(resetsIn)), UsageWindow.WEEK));
        return this;
    }

    Usage limitReached() {
        limitReached = true;
        return this;
    }

    UsageWindows windows() {
        return new UsageWindows(five, week, limitReached, observedAt);
    }

    AccountUsage view() {
        return AccountUsage.of(windows());
    }
}
