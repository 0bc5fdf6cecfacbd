package io.proxygate.application.routing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The largest token load among one family's credentials, kept up to date as tokens are counted, so that a pick
 * needs no pass over the family to find it. Loads only grow, so a running maximum is exact.
 */
final class LoadPeak {
    private final AtomicLong peak = new AtomicLong();

    long get() {
        return peak.get();
    }

    void raise(long load) {
        long current = peak.get();
        while (load > current && !peak.compareAndSet(current, load)) {
            current = peak.get();
        }
    }
}
