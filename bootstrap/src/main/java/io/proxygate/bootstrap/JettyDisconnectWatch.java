package io.proxygate.bootstrap;

import io.proxygate.adapter.in.http.DisconnectWatch;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices a client that closed its connection while its request waits for an upstream, before any byte of the reply
 * exists. Jetty reports a failed request or a closed connection; on HTTP/1.1 it does not read an idle connection
 * while a request is being handled, so a half-closed one is also probed every {@code period}: a read of nothing
 * (-1) from the endpoint means the client has hung up. Only that end-of-stream is taken as a sign: a client
 * pipelining its next request would show bytes, and then the probe stops, leaving those bytes to Jetty.
 * <p>
 * One sweep every {@code period} probes every watched request that has waited at least a period. Scheduling a
 * probe per request instead woke the timer thread when it was scheduled and again when it was cancelled, two thread
 * wake-ups on every relayed request, although most requests end before their first probe.
 */
final class JettyDisconnectWatch implements DisconnectWatch {
    private final long periodNanos;
    private final Set<Probe> watched = ConcurrentHashMap.newKeySet();

    /** A watched HTTP/1.1 request's endpoint, probed once it has waited a period. */
    private record Probe(EndPoint endPoint, Runnable gone, AtomicBoolean active, long since) {
    }

    JettyDisconnectWatch(ScheduledExecutorService timer, long periodMillis) {
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        if (periodMillis > 0) {
            timer.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Probe probe : watched) {
            if (!probe.active().get()) {
                watched.remove(probe);
            } else if (now - probe.since() >= periodNanos) {
                EndPoint endPoint = probe.endPoint();
                if (!endPoint.isOpen() || endPoint.isInputShutdown() || hungUp(endPoint)) {
                    probe.gone().run();
                }
            }
        }
    }

    @Override
    public Watch watch(HttpServletRequest request, Runnable onGone) {
        Request core;
        try {
            core = ServletContextRequest.getServletContextRequest(request);
        } catch (RuntimeException notJetty) {
            return () -> { };
        }
        if (core == null) {
            return () -> { };
        }
        AtomicBoolean active = new AtomicBoolean(true);
        Runnable gone = () -> {
            if (active.compareAndSet(true, false)) {
                onGone.run();
            }
        };
        core.addFailureListener(failure -> gone.run());
        Connection connection = core.getConnectionMetaData().getConnection();
        Connection.Listener closed = new Connection.Listener() {
            @Override
            public void onClosed(Connection c) {
                gone.run();
            }
        };
        connection.addEventListener(closed);
        EndPoint endPoint = connection.getEndPoint();
        boolean http1 = core.getConnectionMetaData().getHttpVersion().getVersion() < 20;
        Probe probe = http1 && periodNanos > 0 ? new Probe(endPoint, gone, active, System.nanoTime()) : null;
        if (probe != null) {
            watched.add(probe);
        }
        return () -> {
            active.set(false);
            connection.removeEventListener(closed);
            if (probe != null) {
                watched.remove(probe);
            }
        };
    }

    /** A non-blocking one-byte read: -1 only when the peer closed its side (clients do not pipeline here). */
    private static boolean hungUp(EndPoint endPoint) {
        try {
            return endPoint.fill(BufferUtil.allocate(1)) < 0;
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
