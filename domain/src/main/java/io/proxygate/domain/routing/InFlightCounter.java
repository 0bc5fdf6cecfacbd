package io.proxygate.domain.routing;

import java.util.concurrent.atomic.AtomicInteger;

/** Requests currently in flight on one credential. Exact under concurrency and never below zero. */
public final class InFlightCounter {
    private final AtomicInteger count = new AtomicInteger();

    public int get() {
        return count.get();
    }

    public void increment() {
        count.incrementAndGet();
    }

    /** Releases one request; a release without a matching increment is ignored rather than going negative. */
    public void decrement() {
        int current;
        do {
            current = count.get();
            if (current <= 0) {
                return;
            }
        } while (!count.compareAndSet(current, current - 1));
    }
}
