package io.proxygate.adapter.out.upstream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the response and idle timeouts of every open upstream call with one periodic sweep. A scheduled task per
 * call (armed at the start, re-armed at the head, cancelled at the end) woke the timer thread two or three times for
 * every request; timeouts are seconds long, so checking all open calls a few times a second is as good and costs
 * nothing per request.
 */
final class CallWatchdog implements AutoCloseable {
    private final Set<HttpUpstreamCall> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    CallWatchdog(Duration period) {
        sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("proxygate-upstream-watchdog").daemon().factory());
        long nanos = period.toNanos();
        sweeper.scheduleAtFixedRate(this::sweep, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** A sweep period fine enough for the shortest timeout: a tenth of it, between 10 ms and 250 ms. */
    static Duration periodFor(Duration shortestTimeout) {
        long tenth = shortestTimeout.toMillis() / 10;
        return Duration.ofMillis(Math.clamp(tenth, 10, 250));
    }

    void watch(HttpUpstreamCall call) {
        open.add(call);
    }

    void forget(HttpUpstreamCall call) {
        open.remove(call);
    }

    /** Calls being watched (for tests: every call is forgotten once it ends, fails or is closed). */
    int watched() {
        return open.size();
    }

    private void sweep() {
        for (HttpUpstreamCall call : open) {
            try {
                call.check();
            } catch (RuntimeException e) {
                // One broken call must not stop the sweeps that guard all the others.
                forget(call);
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        open.clear();
    }
}
