package io.proxygate.bootstrap;

import io.proxygate.adapter.in.http.DisconnectWatch;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Notices a client that closed its connection while its request waits for an upstream, before any byte of the reply
 * exists. Jetty reports a failed request or a closed connection; on HTTP/1.1 it does not read an idle connection
 * while a request is being handled, so a half-closed one is also probed every {@code period}: a read of nothing
 * (-1) from the endpoint means the client has hung up. Only that end-of-stream is taken as a sign: a client
 * pipelining its next request would show bytes, and then the probe stops, leaving those bytes to Jetty.
 */
final class JettyDisconnectWatch implements DisconnectWatch {
    private final ScheduledExecutorService timer;
    private final long periodMillis;

    JettyDisconnectWatch(ScheduledExecutorService timer, long periodMillis) {
        this.timer = timer;
        this.periodMillis = periodMillis;
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
        ScheduledFuture<?> probe = http1 && periodMillis > 0 ? timer.scheduleWithFixedDelay(() -> {
            if (!active.get()) {
                return;
            }
            if (!endPoint.isOpen() || endPoint.isInputShutdown() || hungUp(endPoint)) {
                gone.run();
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS) : null;
        return () -> {
            active.set(false);
            connection.removeEventListener(closed);
            if (probe != null) {
                probe.cancel(false);
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
