package io.proxygate.application.routing;

import io.proxygate.domain.routing.HeadroomScorer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One family's credentials in the order a pick visits them, each with a ceiling: a rank key it cannot exceed while
 * the order is valid. A pick walks the order and stops once the next ceiling is below the last of the best few it
 * has found, so it touches a handful of credentials instead of the whole family.
 *
 * <p>A ceiling is the load-free part of the rank key, worked out at the end of the order's span with nothing in
 * flight: requests in flight, successes and token load only lower a key, and time raises one only gradually, until a
 * window resets or a Claude observation goes stale. Credentials for which one of those falls within the span have
 * no ceiling and come first ({@link #alwaysVisit}). Load-ranked ones (API keys, unmeasured Claude accounts) keep the
 * load they had, since their ceiling depends on the family's largest load at pick time; loads only grow, so that
 * ceiling holds as well. A new usage observation can raise a key at any time: such credentials are listed in
 * {@link #log} after {@link #logFrom}, and a pick visits them too.
 */
final class RankOrder {
    /** How long an order is used after it is built. */
    static final long SPAN_MILLIS = 2_000;
    /**
     * How far before its build an order still holds: a ChatGPT rank is remembered for the rest of its second, so
     * a pick may use one worked out up to a second before the order was built.
     */
    static final long REACH_BACK_MILLIS = 2_000;
    /** Changed credentials a pick is willing to visit besides the order; beyond that the order is rebuilt. */
    static final int MAX_PENDING = 64;

    final long builtAtMillis;
    /** Member slots in visiting order. */
    final int[] slots;
    /** Each slot's position in {@link #slots}. */
    final int[] positions;
    /** The ceilings of the positions ranked without load (unused for load-ranked ones). */
    final double[] ceilings;
    /** The token load at build of load-ranked positions; -1 for the others. */
    final long[] loads;
    /** What a load-ranked position's standing takes off its key. */
    final double[] bandOffsets;
    /** The first positions, visited on every pick: no ceiling holds for them. */
    final int alwaysVisit;
    final ChangeLog log;
    final int logFrom;

    RankOrder(long builtAtMillis, int[] slots, double[] ceilings, long[] loads, double[] bandOffsets, int alwaysVisit,
              ChangeLog log, int logFrom) {
        this.builtAtMillis = builtAtMillis;
        this.slots = slots;
        this.ceilings = ceilings;
        this.loads = loads;
        this.bandOffsets = bandOffsets;
        this.alwaysVisit = alwaysVisit;
        this.log = log;
        this.logFrom = logFrom;
        this.positions = new int[slots.length];
        for (int p = 0; p < slots.length; p++) {
            positions[slots[p]] = p;
        }
    }

    /** The highest rank key position {@code p} can have, with the family's largest load now {@code maxLoad}. */
    double ceiling(int p, long maxLoad) {
        long load = loads[p];
        return load < 0 ? ceilings[p] : HeadroomScorer.byLoad(load, maxLoad, 0) - bandOffsets[p];
    }

    /** Whether a pick at {@code t} may use this order, the router's change log now being {@code current}. */
    boolean usableAt(long t, ChangeLog current) {
        return current == log && t >= builtAtMillis - (REACH_BACK_MILLIS - 1_000) && t < builtAtMillis + SPAN_MILLIS
                && log.size() - logFrom <= MAX_PENDING;
    }

    /**
     * The credentials whose usage observation changed (a new one taken in, the local estimate reset), in the
     * order of the changes; a credential may appear more than once. Appended after the change is published, so a
     * pick that reads the log after its walk misses only changes made while it ran. A full log is replaced by a
     * fresh one, which makes every order built on it unusable.
     */
    static final class ChangeLog {
        static final int CAPACITY = 4_096;
        private final AtomicReferenceArray<CredentialRuntime> entries = new AtomicReferenceArray<>(CAPACITY);
        private final AtomicInteger size = new AtomicInteger();

        /** False when the log is full. */
        boolean add(CredentialRuntime rt) {
            int i = size.getAndIncrement();
            if (i >= CAPACITY) {
                return false;
            }
            entries.set(i, rt);
            return true;
        }

        int size() {
            return Math.min(size.get(), CAPACITY);
        }

        /** Entry {@code i}, or null while it is being written. */
        CredentialRuntime get(int i) {
            return entries.get(i);
        }
    }
}
