package io.proxygate.adapter.out.persistence.pool;

/** A credential file or import entry that cannot be used; the message is the user-facing reason (never a secret). */
final class PoolFormatException extends RuntimeException {
    PoolFormatException(String reason) {
        super(reason, null, false, false);
    }
}
