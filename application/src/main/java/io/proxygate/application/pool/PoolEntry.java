package io.proxygate.application.pool;

import io.proxygate.domain.credential.Credential;

/** A credential in the live pool and the file it came from. */
public record PoolEntry(Credential credential, String path) {
}
