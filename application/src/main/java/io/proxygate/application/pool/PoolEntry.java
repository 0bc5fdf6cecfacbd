package io.proxygate.application.pool;

import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialControls;

/** A credential in the live pool, the file it came from and the operator's controls set in that file. */
public record PoolEntry(Credential credential, String path, CredentialControls controls) {
    public PoolEntry {
        controls = controls == null ? CredentialControls.NONE : controls;
    }

    public PoolEntry(Credential credential, String path) {
        this(credential, path, CredentialControls.NONE);
    }
}
