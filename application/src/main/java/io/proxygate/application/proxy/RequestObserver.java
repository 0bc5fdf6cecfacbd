package io.proxygate.application.proxy;

import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;

/**
 * Told when a proxied request starts and which credential each attempt uses, for live views (the dashboard's Live
 * tab). The request's end is its request-log row. Calls come from request threads: implementations must not block.
 */
public interface RequestObserver {
    RequestObserver NONE = new RequestObserver() {
        @Override
        public void started(String requestId, Instant startedAt, String route, String model) {
        }
    };

    void started(String requestId, Instant startedAt, String route, String model);

    /** An attempt on {@code credential} is about to call the upstream. */
    default void attempting(String requestId, CredentialId credential) {
    }
}
