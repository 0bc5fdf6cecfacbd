package io.proxygate.domain.routing;

import io.proxygate.domain.credential.PlanType;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Scores credentials for routing: higher is better, and {@link Standing} is compared before the score.
 *
 * <h2>ChatGPT accounts</h2>
 * <pre>
 * score = tier(plan)                                   pro 10, enterprise 8, plus 5, team 3, others 0
 *       + drain_multiplier x Hw x (1 + 0.5 x Ew)       weekly headroom, default weight 1.0
 *       + primary_bonus    x H5 x (1 + 0.5 x E5)       5-hour headroom, default weight 0.1
 *       - 0.5 x in_flight
 * </pre>
 * {@code H} is a window's headroom, {@code 1 - used} clamped to [0, 1]; {@code E} is the share of the window
 * already elapsed, {@code 1 - time_to_reset / window_length} (0 when the reset time is unknown). The
 * {@code (1 + 0.5 x E)} factor makes headroom that resets soon worth up to 1.5 times as much, because unused
 * capacity is lost at the reset, so it should be drained first.
 * <ul>
 *   <li>A window whose reset time has passed counts as unused (it rolled over since the observation).</li>
 *   <li>Between observations every success adds 0.025 to the 5-hour used fraction (a local estimate).</li>
 *   <li>No observation yet: both windows are assumed half used ("middling").</li>
 *   <li>A window absent from an observation does not limit the plan: its headroom is 1.</li>
 *   <li>{@link Standing#HOT}: a window at 90 % or more ranks the account after every healthy one.</li>
 *   <li>Excluded: 5-hour use &ge; {@code primary_used_pct_max} or weekly use &ge; {@code secondary_used_pct_max}
 *       (each only when &gt; 0), and any window spent or limit reached (see {@link AccountUsage}).</li>
 * </ul>
 * Worked example, two plus accounts, nothing in flight, 5-hour windows both 10 % used with unknown reset:
 * <pre>
 * A: weekly 40 % used, resets in 42 h: E = 1 - 42/168 = 0.75
 *    5 + 1.0 x 0.60 x 1.375 + 0.1 x 0.90 = 5 + 0.825 + 0.090 = 5.915
 * B: weekly 25 % used, resets in 160 h: E = 1 - 160/168 = 0.048
 *    5 + 1.0 x 0.75 x 1.024 + 0.1 x 0.90 = 5 + 0.768 + 0.090 = 5.858
 * </pre>
 * A is picked although B has more weekly headroom left: A's 60 % vanishes in 42 hours, B's lasts all week. With
 * one request in flight A drops to 5.415, so the next pick goes to B.
 *
 * <h2>Claude accounts</h2>
 * Scored on usage only when the observation is fresh (default: at most 15 minutes old), weekly headroom weighing
 * twice the 5-hour one, with the same reset factor:
 * {@code Hw x (1 + 0.5 x Ew) + 0.5 x H5 x (1 + 0.5 x E5) - 0.2 x in_flight - 0.05 x load / max_load}.
 * Otherwise {@link Standing#UNMEASURED}, ranked by {@link #byLoad}, after the measured healthy ones.
 *
 * <h2>API keys (and unmeasured Claude accounts)</h2>
 * {@code -load / max_load - 0.5 x in_flight}: least token load first, each request in flight counting as half the
 * spread between the idlest and the busiest credential.
 */
public final class HeadroomScorer {
    public static final double IN_FLIGHT_PENALTY = 0.5;
    /** Added to the 5-hour used fraction per success since the last observation. */
    public static final double ESTIMATE_PER_SUCCESS = 0.025;
    public static final double HOT_THRESHOLD = 0.9;
    public static final Duration DEFAULT_FRESHNESS = Duration.ofMinutes(15);

    static final double DRAIN_BOOST = 0.5;
    static final double UNKNOWN_USED = 0.5;
    static final double CLAUDE_WEEKLY = 1.0;
    static final double CLAUDE_FIVE = 0.5;
    static final double CLAUDE_IN_FLIGHT = 0.2;
    static final double CLAUDE_LOAD = 0.05;

    /** {@link PlanType#wireName()} lower-cases on every call; explanations are built per pick. */
    private static final String[] PLAN_NAMES = java.util.Arrays.stream(PlanType.values())
            .map(PlanType::wireName).toArray(String[]::new);

    private final ScoringWeights weights;
    private final Duration freshness;

    public HeadroomScorer(ScoringWeights weights, Duration claudeFreshness) {
        this.weights = weights;
        this.freshness = claudeFreshness;
    }

    public HeadroomScorer(ScoringWeights weights) {
        this(weights, DEFAULT_FRESHNESS);
    }

    public ScoringWeights weights() {
        return weights;
    }

    /**
     * Separates the {@link Standing} bands in a rank key ({@code score - band x BAND_GAP}) far beyond any score, so
     * one number orders a family: standing first, then score.
     */
    public static final double BAND_GAP = 1e9;

    // ---- rank keys: one pass per credential on the hot path

    /**
     * The ChatGPT rank key (larger ranks first): {@code score - standing x BAND_GAP}, or NaN when the caps exclude
     * the account. Equivalent to {@link #chatGptCapped}, {@link #chatGptStanding} and {@link #chatGpt} together.
     */
    public double chatGptRank(PlanType plan, AccountUsage u, int successes, int inFlight, Instant now) {
        long t = now.toEpochMilli();
        double five = fiveUsed(u, successes, t);
        double week = weekUsed(u, t);
        if (u.known) {
            double cap5 = weights.primaryUsedPctMax();
            double capWeek = weights.secondaryUsedPctMax();
            if ((cap5 > 0 && u.hasFive && five >= cap5) || (capWeek > 0 && u.hasWeek && week >= capWeek)) {
                return Double.NaN;
            }
        }
        double weekTerm = headroom(week) * (1 + DRAIN_BOOST * elapsed(u.weekResetMillis, u.weekInverseLength, t));
        double fiveTerm = headroom(five) * (1 + DRAIN_BOOST * elapsed(u.fiveResetMillis, u.fiveInverseLength, t));
        double score = plan.tier() + weights.drainMultiplier() * weekTerm + weights.primaryBonus() * fiveTerm
                - IN_FLIGHT_PENALTY * inFlight;
        boolean hot = u.known && ((u.hasFive && five >= HOT_THRESHOLD) || (u.hasWeek && week >= HOT_THRESHOLD));
        return hot ? score - Standing.HOT.ordinal() * BAND_GAP : score;
    }

    /** The Claude rank key: {@code score - standing x BAND_GAP}. */
    public double claudeRank(AccountUsage u, int successes, int inFlight, long load, long maxLoad, Instant now) {
        Standing standing = claudeStanding(u, successes, now);
        return claude(u, successes, inFlight, load, maxLoad, now) - standing.ordinal() * BAND_GAP;
    }

    /**
     * Whether a rank key of an account with usage {@code u} can rise between {@code fromMillis} and
     * {@code toMillis} (inclusive) other than through a new observation. Only two events can raise one: a window
     * reset (the window rolls over, its use drops to 0 and its hot standing may end) and, for a Claude account
     * ({@code claude}), the observation going stale (a hot account then ranks by load, above the hot band).
     * Between them, time only ever raises a key gradually (the reset factor grows), successes and requests in
     * flight only lower it, so a key worked out at {@code toMillis} with none in flight bounds every key of the
     * span from above: what lets the router stop a pick early.
     */
    public boolean mayJump(AccountUsage u, long fromMillis, long toMillis, boolean claude) {
        if (!u.known) {
            return false;
        }
        if (within(u.fiveResetMillis, fromMillis, toMillis) || within(u.weekResetMillis, fromMillis, toMillis)) {
            return true;
        }
        // freshAt holds up to observedAt + freshness inclusive: the standing changes one millisecond later.
        return claude && within(u.observedAtMillis + freshness.toMillis(), fromMillis - 1, toMillis);
    }

    private static boolean within(long instant, long fromMillis, long toMillis) {
        return instant != AccountUsage.UNKNOWN_RESET && instant >= fromMillis && instant <= toMillis;
    }

    // ---- ChatGPT

    public double chatGpt(PlanType plan, AccountUsage u, int successes, int inFlight, Instant now) {
        long t = now.toEpochMilli();
        return plan.tier()
                + weights.drainMultiplier() * weekTerm(u, t)
                + weights.primaryBonus() * fiveTerm(u, successes, t)
                - IN_FLIGHT_PENALTY * inFlight;
    }

    /** {@link Standing#HOT} when an observed window (5-hour with the local estimate) is at 90 % or more. */
    public Standing chatGptStanding(AccountUsage u, int successes, Instant now) {
        return hot(u, successes, now.toEpochMilli()) ? Standing.HOT : Standing.HEALTHY;
    }

    /** True when the configured caps exclude this account; allocation-free, for the hot path. */
    public boolean chatGptCapped(AccountUsage u, int successes, Instant now) {
        if (!u.known) {
            return false;
        }
        long t = now.toEpochMilli();
        double cap5 = weights.primaryUsedPctMax();
        double capWeek = weights.secondaryUsedPctMax();
        return (cap5 > 0 && u.hasFive && fiveUsed(u, successes, t) >= cap5)
                || (capWeek > 0 && u.hasWeek && weekUsed(u, t) >= capWeek);
    }

    /** Why the configured caps exclude this account, if they do. */
    public Optional<String> chatGptCap(AccountUsage u, int successes, Instant now) {
        if (!u.known) {
            return Optional.empty();
        }
        long t = now.toEpochMilli();
        double cap5 = weights.primaryUsedPctMax();
        if (cap5 > 0 && u.hasFive) {
            double five = fiveUsed(u, successes, t);
            if (five >= cap5) {
                return Optional.of("5h window at " + percent(five) + " (max " + percent(cap5) + ")");
            }
        }
        double capWeek = weights.secondaryUsedPctMax();
        if (capWeek > 0 && u.hasWeek) {
            double week = weekUsed(u, t);
            if (week >= capWeek) {
                return Optional.of("weekly window at " + percent(week) + " (max " + percent(capWeek) + ")");
            }
        }
        return Optional.empty();
    }

    public String explainChatGpt(PlanType plan, AccountUsage u, int successes, int inFlight, Instant now) {
        long t = now.toEpochMilli();
        StringBuilder b = new StringBuilder(192);
        hotPrefix(b, u, successes, t);
        b.append(PLAN_NAMES[plan.ordinal()]).append(' ').append(plan.tier());
        window(b, " + weekly ", weights.drainMultiplier() * weekTerm(u, t), u, weekUsed(u, t), u.weekResetMillis,
                u.weekInverseLength, t);
        window(b, " + 5h ", weights.primaryBonus() * fiveTerm(u, successes, t), u, fiveUsed(u, successes, t),
                u.fiveResetMillis, u.fiveInverseLength, t);
        inFlight(b, IN_FLIGHT_PENALTY, inFlight);
        b.append(" = ");
        decimal(b, chatGpt(plan, u, successes, inFlight, now));
        return b.toString();
    }

    // ---- Claude

    public Standing claudeStanding(AccountUsage u, int successes, Instant now) {
        if (!u.freshAt(now, freshness)) {
            return Standing.UNMEASURED;
        }
        return hot(u, successes, now.toEpochMilli()) ? Standing.HOT : Standing.HEALTHY;
    }

    /** The usage score for a measured account ({@link #byLoad} for an unmeasured one). */
    public double claude(AccountUsage u, int successes, int inFlight, long load, long maxLoad, Instant now) {
        if (!u.freshAt(now, freshness)) {
            return byLoad(load, maxLoad, inFlight);
        }
        long t = now.toEpochMilli();
        return CLAUDE_WEEKLY * weekTerm(u, t) + CLAUDE_FIVE * fiveTerm(u, successes, t)
                - CLAUDE_IN_FLIGHT * inFlight - CLAUDE_LOAD * loadShare(load, maxLoad);
    }

    public String explainClaude(AccountUsage u, int successes, int inFlight, long load, long maxLoad, Instant now) {
        if (!u.freshAt(now, freshness)) {
            String age = u.known ? "usage data older than " + human(freshness.toMillis()) : "no usage data";
            return age + "; by load: " + explainByLoad(load, maxLoad, inFlight);
        }
        long t = now.toEpochMilli();
        StringBuilder b = new StringBuilder(192);
        hotPrefix(b, u, successes, t);
        window(b, "weekly ", CLAUDE_WEEKLY * weekTerm(u, t), u, weekUsed(u, t), u.weekResetMillis,
                u.weekInverseLength, t);
        window(b, " + 5h ", CLAUDE_FIVE * fiveTerm(u, successes, t), u, fiveUsed(u, successes, t), u.fiveResetMillis,
                u.fiveInverseLength, t);
        inFlight(b, CLAUDE_IN_FLIGHT, inFlight);
        b.append(" - load ");
        decimal(b, CLAUDE_LOAD * loadShare(load, maxLoad));
        b.append(" = ");
        decimal(b, claude(u, successes, inFlight, load, maxLoad, now));
        return b.toString();
    }

    // ---- load

    /** {@code -load / max(1, maxLoad) - 0.5 x inFlight}. */
    public static double byLoad(long load, long maxLoad, int inFlight) {
        return 0.0 - (loadShare(load, maxLoad) + IN_FLIGHT_PENALTY * inFlight); // 0.0 - x: never -0.0
    }

    public static String explainByLoad(long load, long maxLoad, int inFlight) {
        StringBuilder b = new StringBuilder(64);
        b.append("load ").append(load).append(" tokens (");
        decimal(b, loadShare(load, maxLoad));
        b.append(" of busiest)");
        inFlight(b, IN_FLIGHT_PENALTY, inFlight);
        b.append(" = ");
        decimal(b, byLoad(load, maxLoad, inFlight));
        return b.toString();
    }

    // ---- terms

    private static double loadShare(long load, long maxLoad) {
        return (double) Math.max(0, load) / Math.max(1, maxLoad);
    }

    private static double weekTerm(AccountUsage u, long t) {
        return headroom(weekUsed(u, t)) * (1 + DRAIN_BOOST * elapsed(u.weekResetMillis, u.weekInverseLength, t));
    }

    private static double fiveTerm(AccountUsage u, int successes, long t) {
        return headroom(fiveUsed(u, successes, t)) * (1 + DRAIN_BOOST * elapsed(u.fiveResetMillis, u.fiveInverseLength, t));
    }

    private static boolean hot(AccountUsage u, int successes, long t) {
        return u.known && ((u.hasFive && fiveUsed(u, successes, t) >= HOT_THRESHOLD)
                || (u.hasWeek && weekUsed(u, t) >= HOT_THRESHOLD));
    }

    static double fiveUsed(AccountUsage u, int successes, long t) {
        double observed = !u.known ? UNKNOWN_USED : !u.hasFive ? 0 : current(u.fiveUsed, u.fiveResetMillis, t);
        return !u.known || u.hasFive ? observed + ESTIMATE_PER_SUCCESS * successes : observed;
    }

    static double weekUsed(AccountUsage u, long t) {
        return !u.known ? UNKNOWN_USED : !u.hasWeek ? 0 : current(u.weekUsed, u.weekResetMillis, t);
    }

    /** A window past its reset has rolled over since it was observed. */
    private static double current(double used, long resetMillis, long t) {
        return resetMillis != AccountUsage.UNKNOWN_RESET && t >= resetMillis ? 0 : used;
    }

    private static double headroom(double used) {
        return used >= 1 ? 0 : used <= 0 ? 1 : 1 - used;
    }

    private static double elapsed(long resetMillis, double inverseLength, long t) {
        if (resetMillis == AccountUsage.UNKNOWN_RESET || t >= resetMillis) {
            return 0;
        }
        double e = 1 - (resetMillis - t) * inverseLength;
        return e <= 0 ? 0 : e >= 1 ? 1 : e;
    }

    // ---- explanation text

    private static void hotPrefix(StringBuilder b, AccountUsage u, int successes, long t) {
        if (!hot(u, successes, t)) {
            return;
        }
        double five = u.hasFive ? fiveUsed(u, successes, t) : 0;
        double week = u.hasWeek ? weekUsed(u, t) : 0;
        b.append("hot (").append(week >= five ? "weekly " : "5h ").append(percent(Math.max(five, week)))
                .append(" used), ranked after healthy ones: ");
    }

    /**
     * One window's term: its headroom, and when the reset is known the "use it or lose it" factor that makes
     * headroom about to reset worth more (what is left at the reset is lost).
     */
    private static void window(StringBuilder b, String label, double term, AccountUsage u, double used, long reset,
                               double inverseLength, long t) {
        b.append(label);
        decimal(b, term);
        b.append(" (").append(percent(headroom(used))).append(" left");
        if (!u.known) {
            b.append(", no usage data");
        } else if (reset != AccountUsage.UNKNOWN_RESET && reset > t) {
            b.append(", resets in ").append(human(reset - t));
            double factor = 1 + DRAIN_BOOST * elapsed(reset, inverseLength, t);
            if (factor > 1.005) {
                b.append(", use it or lose it x");
                decimal(b, factor);
            }
        }
        b.append(')');
    }

    private static void inFlight(StringBuilder b, double penalty, int inFlight) {
        if (inFlight > 0) {
            b.append(" - in-flight ");
            decimal(b, penalty * inFlight);
            b.append(" (").append(inFlight).append(')');
        }
    }

    /** Two decimals without String.format, which is slow on the hot path. */
    static void decimal(StringBuilder b, double value) {
        long hundredths = Math.round(value * 100);
        if (hundredths < 0) {
            b.append('-');
            hundredths = -hundredths;
        }
        b.append(hundredths / 100).append('.');
        long rest = hundredths % 100;
        if (rest < 10) {
            b.append('0');
        }
        b.append(rest);
    }

    static String percent(double fraction) {
        return Math.round(fraction * 100) + "%";
    }

    static String human(long millis) {
        long minutes = Math.max(0, millis) / 60_000;
        if (minutes < 1) {
            return Math.max(0, millis) / 1000 + "s";
        }
        long days = minutes / 1440;
        long hours = minutes % 1440 / 60;
        long mins = minutes % 60;
        if (days > 0) {
            return days + "d" + hours + "h";
        }
        return hours > 0 ? hours + "h" + mins + "m" : mins + "m";
    }
}
