package io.proxygate.adapter.in.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells the API resource when a client's connection closes while its request waits for an upstream, which the
 * servlet API cannot say without I/O. The server supplies one; {@link #NONE} notices nothing.
 */
public interface DisconnectWatch {
    DisconnectWatch NONE = (request, onGone) -> () -> { };

    /** Calls {@code onGone} (on any thread) if the client goes away before the returned watch is closed. */
    Watch watch(HttpServletRequest request, Runnable onGone);

    /** A watch in progress; closing it stops it. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
