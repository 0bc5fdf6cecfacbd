package io.proxygate.application.clientkey;

import io.proxygate.domain.clientkey.ClientKey;

/** A key just created, with its secret: the only moment the secret exists outside the client's hands. */
public record CreatedClientKey(ClientKey key, String secret) {
    @Override
    public String toString() {
        return "CreatedClientKey[" + key.id() + "]";
    }
}
