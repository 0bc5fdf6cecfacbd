package io.proxygate.adapter.out.persistence.sql;

import java.time.Duration;
import java.util.Arrays;

/**
 * The fixed millisecond buckets of the latency and TTFB histograms in {@code usage_summary}. Bucket {@code i} holds
 * {@code [lower(i), lower(i + 1))}: one bucket per millisecond below 10 ms, then each bucket 1.2 times as wide as the
 * one before, rounded down to whole milliseconds, up to 4,055,271 ms (over an hour), above which the last bucket is
 * open. A percentile read from merged histograms is the middle of its bucket, so it is exact below 10 ms and otherwise
 * within 10 % of the exact nearest-rank value (half of a bucket that is at most 20 % of its lower bound wide). The
 * scheme is part of the stored data: changing it needs a migration that rebuilds the summary.
 */
final class UsageHistogram {
    /** Lower bounds; {@code LOWER[0] == 0}. */
    private static final long[] LOWER = bounds();
    static final int BUCKETS = LOWER.length;

    private UsageHistogram() {
    }

    private static long[] bounds() {
        long[] out = new long[128];
        int n = 0;
        long v = 0;
        out[n++] = v;
        while (v < 3_600_000L) {
            v = v < 10 ? v + 1 : Math.max(v + 1, (long) (v * 1.2));
            out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }

    /** The bucket of {@code millis}; negative values count as 0. */
    static int bucket(long millis) {
        if (millis <= 0) {
            return 0;
        }
        int i = Arrays.binarySearch(LOWER, millis);
        return i >= 0 ? i : -i - 2;
    }

    /** The smallest value bucket {@code i} holds. */
    static long lower(int i) {
        return LOWER[i];
    }

    /** The largest value bucket {@code i} holds ({@link Long#MAX_VALUE} for the last). */
    static long upper(int i) {
        return i + 1 < BUCKETS ? LOWER[i + 1] - 1 : Long.MAX_VALUE;
    }

    /** What a percentile that falls in bucket {@code i} reads as: its middle, or its lower bound for the open last. */
    static long representative(int i) {
        return i + 1 < BUCKETS ? (LOWER[i] + LOWER[i + 1] - 1) / 2 : LOWER[i];
    }

    /**
     * The nearest-rank percentile ({@code ceil(n * p / 100)}-th smallest) of a histogram, as its bucket's
     * {@link #representative}; {@link Duration#ZERO} for an empty histogram, as for a group without values.
     */
    static Duration percentile(long[] counts, int p) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        if (n == 0) {
            return Duration.ZERO;
        }
        long rank = (n * p + 99) / 100;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Duration.ofMillis(representative(i));
            }
        }
        return Duration.ofMillis(representative(counts.length - 1));
    }
}
