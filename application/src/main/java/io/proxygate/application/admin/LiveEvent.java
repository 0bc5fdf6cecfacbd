package io.proxygate.application.admin;

import io.proxygate.application.pool.PoolChange;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;
import java.util.Objects;

/** Something the dashboard's live view shows as it happens. */
public sealed interface LiveEvent {
    Instant at();

    /** A proxied request arrived. */
    record RequestStarted(String requestId, Instant at, String route, String model) implements LiveEvent {
        public RequestStarted {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(at, "at");
        }
    }

    /** An attempt of a running request is about to use {@code credential}. */
    record RequestAttempt(String requestId, Instant at, CredentialId credential) implements LiveEvent {
        public RequestAttempt {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(credential, "credential");
        }
    }

    /** A request ended (its request-log row). */
    record RequestFinished(RequestRecord record, Instant at) implements LiveEvent {
        public RequestFinished {
            Objects.requireNonNull(record, "record");
        }
    }

    /** Credentials were added, changed or removed in the pool. */
    record PoolChanged(PoolChange change, Instant at) implements LiveEvent {
        public PoolChanged {
            Objects.requireNonNull(change, "change");
        }
    }
}
