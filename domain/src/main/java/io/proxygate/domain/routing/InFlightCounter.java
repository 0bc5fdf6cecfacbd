package io.proxygate.domain.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Requests currently in flight on one credential. Exact under concurrency and never below zero. Open for extension
 * so that a per-credential holder can carry the count in its own object: the router reads it for every credential
 * on every pick, and one pointer hop less matters there.
 */
public class InFlightCounter {
    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(InFlightCounter.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A plain field behind a VarHandle rather than an AtomicInteger: one object less to chase per pick. */
    @SuppressWarnings("unused")
    private volatile int count;

    public final int get() {
        return count;
    }

    public final void increment() {
        COUNT.getAndAdd(this, 1);
    }

    /** Releases one request; a release without a matching increment is ignored rather than going negative. */
    /** Counts one more unless {@code cap} are already in flight; a cap of 0 or less means none. */
    public final boolean tryIncrement(int cap) {
        if (cap <= 0) {
            increment();
            return true;
        }
        int current;
        do {
            current = count;
            if (current >= cap) {
                return false;
            }
        } while (!COUNT.compareAndSet(this, current, current + 1));
        return true;
    }

    public final void decrement() {
        int current;
        do {
            current = count;
            if (current <= 0) {
                return;
            }
        } while (!COUNT.compareAndSet(this, current, current - 1));
    }
}
