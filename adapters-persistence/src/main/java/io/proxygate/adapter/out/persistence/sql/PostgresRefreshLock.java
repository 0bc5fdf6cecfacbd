package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.RefreshLockPort;
import io.proxygate.domain.credential.CredentialId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The token-refresh lock shared by every instance on one PostgreSQL database: a transaction-scoped advisory lock
 * ({@code pg_advisory_xact_lock}) keyed by a hash of the credential id, waited for up to {@code lock_timeout}.
 * Being transaction-scoped, the lock goes when the transaction ends: on release, and also when the holder's
 * connection or process dies, so a crashed instance cannot leave an account locked.
 */
public final class PostgresRefreshLock implements RefreshLockPort {
    /** PostgreSQL's SQLSTATE for a lock wait that ran into {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresRefreshLock.class);

    private final Jdbi jdbi;

    public PostgresRefreshLock(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Optional<Held> acquire(CredentialId id, Duration wait) {
        Handle handle = jdbi.open();
        try {
            handle.begin();
            // SET takes no bind parameters; the value is a number we format ourselves.
            handle.execute("SET LOCAL lock_timeout = '" + Math.max(1, wait.toMillis()) + "ms'");
            handle.createQuery("SELECT true FROM (SELECT pg_advisory_xact_lock(:key)) AS locked")
                    .bind("key", key(id)).mapTo(Boolean.class).one();
        } catch (RuntimeException e) {
            release(handle);
            if (isLockTimeout(e)) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(() -> release(handle));
    }

    @Override
    public boolean sharedWithOtherInstances() {
        return true;
    }

    /** The advisory lock key: the first 8 bytes of SHA-256 over a namespaced credential id, the same everywhere. */
    static long key(CredentialId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("proxygate.token-refresh:" + id.value()).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** Ends the transaction, and with it the lock. A connection already gone has released it server-side. */
    private static void release(Handle handle) {
        try {
            handle.rollback();
        } catch (RuntimeException e) {
            LOG.debug("refresh lock: rollback on a broken connection ({})", e.getClass().getSimpleName());
        }
        try {
            handle.close();
        } catch (RuntimeException e) {
            LOG.debug("refresh lock: closing a broken connection ({})", e.getClass().getSimpleName());
        }
    }

    private static boolean isLockTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
