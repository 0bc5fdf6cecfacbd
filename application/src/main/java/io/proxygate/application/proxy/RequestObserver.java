package io.proxygate.application.proxy;

import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;

/**
 * Told when a proxied request starts, which credential each attempt uses, and how it ended (its request-log row),
 * for live views (the dashboard's Live tab). Calls come from request threads: implementations must not block.
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

    /** The request ended; {@code record} is the row just written to the request log. */
    default void finished(RequestRecord record) {
    }
}
