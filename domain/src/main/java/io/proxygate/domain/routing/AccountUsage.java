package io.proxygate.domain.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An account's latest usage observation reduced to plain numbers, built once per observation so that scoring a
 * thousand accounts per pick reads fields instead of walking Optionals and Instants. Also decides when an
 * observation blocks the account: a spent window (used &ge; 100 %) or {@code limitReached} blocks it until the spent
 * window resets.
 */
public final class AccountUsage {
    /** Sentinel for "no reset time known". */
    static final long UNKNOWN_RESET = Long.MIN_VALUE;

    /** No observation yet. */
    public static final AccountUsage NONE = new AccountUsage();

    final boolean known;
    final long observedAtMillis;
    final boolean hasFive;
    final double fiveUsed;
    final long fiveResetMillis;
    final long fiveLengthMillis;
    final boolean hasWeek;
    final double weekUsed;
    final long weekResetMillis;
    final long weekLengthMillis;
    /** Reciprocal window lengths: the scorer multiplies on the hot path instead of dividing. */
    final double fiveInverseLength;
    final double weekInverseLength;
    private final long blockedUntilMillis;
    private final String blockedWhat;
    private final UsageWindows windows;

    private AccountUsage() {
        known = false;
        observedAtMillis = 0;
        hasFive = false;
        fiveUsed = 0;
        fiveResetMillis = UNKNOWN_RESET;
        fiveLengthMillis = UsageWindow.FIVE_HOURS.toMillis();
        hasWeek = false;
        weekUsed = 0;
        weekResetMillis = UNKNOWN_RESET;
        weekLengthMillis = UsageWindow.WEEK.toMillis();
        fiveInverseLength = 1.0 / fiveLengthMillis;
        weekInverseLength = 1.0 / weekLengthMillis;
        blockedUntilMillis = Long.MIN_VALUE;
        blockedWhat = null;
        windows = null;
    }

    private AccountUsage(UsageWindows w) {
        windows = w;
        known = true;
        observedAtMillis = w.observedAt().toEpochMilli();
        hasFive = w.fiveHour().isPresent();
        fiveUsed = hasFive ? w.fiveHour().get().usedFraction() : 0;
        fiveResetMillis = hasFive ? resetMillis(w.fiveHour().get()) : UNKNOWN_RESET;
        fiveLengthMillis = hasFive ? lengthMillis(w.fiveHour().get(), UsageWindow.FIVE_HOURS) : UsageWindow.FIVE_HOURS.toMillis();
        hasWeek = w.weekly().isPresent();
        weekUsed = hasWeek ? w.weekly().get().usedFraction() : 0;
        weekResetMillis = hasWeek ? resetMillis(w.weekly().get()) : UNKNOWN_RESET;
        weekLengthMillis = hasWeek ? lengthMillis(w.weekly().get(), UsageWindow.WEEK) : UsageWindow.WEEK.toMillis();
        fiveInverseLength = 1.0 / fiveLengthMillis;
        weekInverseLength = 1.0 / weekLengthMillis;

        // A spent window blocks until it resets; with no reset time, for at most one window length after the
        // observation (a window cannot stay spent longer than itself), so stale data never blocks forever.
        long until = Long.MIN_VALUE;
        String what = null;
        if (hasFive && fiveUsed >= 1.0) {
            until = endOf(fiveResetMillis, fiveLengthMillis);
            what = "5h window exhausted";
        }
        if (hasWeek && weekUsed >= 1.0) {
            long weekUntil = endOf(weekResetMillis, weekLengthMillis);
            if (weekUntil > until) {
                until = weekUntil;
                what = "weekly window exhausted";
            }
        }
        if (what == null && w.limitReached()) {
            // The upstream says no, but no window reads 100 %: the fullest window is the spent one.
            if (hasWeek && (!hasFive || weekUsed >= fiveUsed)) {
                until = endOf(weekResetMillis, weekLengthMillis);
            } else if (hasFive) {
                until = endOf(fiveResetMillis, fiveLengthMillis);
            } else {
                until = observedAtMillis + UsageWindow.FIVE_HOURS.toMillis();
            }
            what = "usage limit reached";
        }
        blockedUntilMillis = until;
        blockedWhat = what;
    }

    public static AccountUsage of(UsageWindows windows) {
        return windows == null ? NONE : new AccountUsage(windows);
    }

    public static AccountUsage of(Optional<UsageWindows> windows) {
        return windows.map(AccountUsage::new).orElse(NONE);
    }

    /** The observation this view was built from. */
    public Optional<UsageWindows> windows() {
        return Optional.ofNullable(windows);
    }

    public boolean known() {
        return known;
    }

    /** True when the observation blocks the account at {@code now} (spent window or limit reached). */
    public boolean blockedAt(Instant now) {
        return blockedAtMillis(now.toEpochMilli());
    }

    boolean blockedAtMillis(long nowMillis) {
        return blockedWhat != null && nowMillis < blockedUntilMillis;
    }

    /** Until when the observation blocks the account, if it blocks it at all. */
    public Optional<Instant> blockedUntil() {
        return blockedWhat == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(blockedUntilMillis));
    }

    /** A skip reason such as {@code 5h window exhausted until 2026-11-26T15:00:00Z}, if the observation blocks. */
    public Optional<String> blockedReason() {
        return blockedWhat == null ? Optional.empty()
                : Optional.of(blockedWhat + " until " + Instant.ofEpochMilli(blockedUntilMillis));
    }

    /** True when the observation is at most {@code maxAge} old at {@code now}. */
    public boolean freshAt(Instant now, Duration maxAge) {
        return known && now.toEpochMilli() - observedAtMillis <= maxAge.toMillis();
    }

    private long endOf(long resetMillis, long lengthMillis) {
        return resetMillis != UNKNOWN_RESET ? resetMillis : observedAtMillis + lengthMillis;
    }

    private static long resetMillis(UsageWindow window) {
        return window.resetsAt().isPresent() ? window.resetsAt().get().toEpochMilli() : UNKNOWN_RESET;
    }

    private static long lengthMillis(UsageWindow window, Duration nominal) {
        long millis = window.length().toMillis();
        return millis > 0 ? millis : nominal.toMillis();
    }
}
