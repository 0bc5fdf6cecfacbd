package io.proxygate.application.port.out;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
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
         * Completes with the query parameters (URL-decoded) of the first request on the path whose {@code state} is
         * the expected one and that carries {@code code} or {@code error}. Any other request (another state, none,
         * neither parameter) is answered 400 and the listener keeps waiting: any local web page can reach the
         * port, but only the provider's redirect knows the state.
         */
        CompletableFuture<Map<String, String>> callback();

        /**
         * How the login that {@link #callback()} handed over ended: empty when the account was saved, else the
         * reason. The browser's page waits for this, so it says "Login received" only when it was.
         */
        default void finish(Optional<String> failure) {
        }

        @Override
        void close();
    }

    /**
     * Listens on 127.0.0.1 on the first free port of {@code firstPort..lastPort} for {@code path}, for the redirect
     * that carries {@code expectedState}.
     *
     * @throws IOException when every port of the range is taken
     */
    Listener listen(int firstPort, int lastPort, String path, String expectedState) throws IOException;
}
