package io.proxygate.adapter.out.persistence.pool;

/** An import file as a whole cannot be used (unreadable, not JSON, not a known format). Never quotes a secret. */
public final class CredentialImportException extends RuntimeException {
    public CredentialImportException(String message) {
        super(message);
    }

    public CredentialImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
