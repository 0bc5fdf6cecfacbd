package io.proxygate.application.port.out;

import io.proxygate.domain.credential.CredentialId;

import java.time.Duration;
import java.util.Optional;

/**
 * A lock per credential that every instance sharing the pool respects, so that a rotating refresh token is spent
 * once even when several instances find the same token stale at the same moment.
 */
public interface RefreshLockPort {
    /**
     * Takes {@code id}'s lock, waiting at most {@code wait}; empty when another holder kept it that long. The lock
     * is released when the returned handle is closed.
     *
     * @throws RuntimeException when the lock service cannot be reached
     */
    Optional<Held> acquire(CredentialId id, Duration wait);

    /**
     * Whether other processes take the same locks. Then a refresh must re-read the pool once it holds the lock:
     * the previous holder may have written new tokens to the shared pool file meanwhile.
     */
    boolean sharedWithOtherInstances();

    /** A held lock. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** One instance alone: the in-process single flight is all the locking a refresh needs. */
    RefreshLockPort IN_PROCESS = new RefreshLockPort() {
        @Override
        public Optional<Held> acquire(CredentialId id, Duration wait) {
            return Optional.of(() -> { });
        }

        @Override
        public boolean sharedWithOtherInstances() {
            return false;
        }
    };
}
