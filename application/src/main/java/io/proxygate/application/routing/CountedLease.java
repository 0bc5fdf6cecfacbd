package io.proxygate.application.routing;

import io.proxygate.domain.routing.InFlightCounter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A lease that releases its in-flight slot exactly once, however many threads close it. */
final class CountedLease implements Lease {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(CountedLease.class, "closed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InFlightCounter counter;
    @SuppressWarnings("unused") // accessed through CLOSED
    private volatile int closed;

    CountedLease(InFlightCounter counter) {
        this.counter = counter;
        counter.increment();
    }

    /** A lease for a slot the caller already counted (see {@link InFlightCounter#tryIncrement}). */
    static CountedLease counted(InFlightCounter counter) {
        return new CountedLease(counter, Counted.ALREADY);
    }

    private enum Counted { ALREADY }

    @SuppressWarnings("unused") // the marker only selects this constructor, which does not count again
    private CountedLease(InFlightCounter counter, Counted marker) {
        this.counter = counter;
    }

    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, 0, 1)) {
            counter.decrement();
        }
    }
}
