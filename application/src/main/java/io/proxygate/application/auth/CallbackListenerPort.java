package io.proxygate.application.auth;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A one-shot loopback HTTP listener that receives the provider's redirect after the user approved a login in the
 * browser.
 */
public interface CallbackListenerPort {
    /** A started listener. Closing it stops listening and fails a callback that has not arrived yet. */
    interface Listener extends AutoCloseable {
        int port();

        /**
         * Completes with the query parameters (URL-decoded) of the first request on the path that carries
         * {@code code} or {@code error}; requests with neither are answered 400 and the listener keeps waiting.
         */
        CompletableFuture<Map<String, String>> callback();

        @Override
        void close();
    }

    /**
     * Listens on 127.0.0.1 on the first free port of {@code firstPort..lastPort} for {@code path}.
     *
     * @throws IOException when every port of the range is taken
     */
    Listener listen(int firstPort, int lastPort, String path) throws IOException;
}
