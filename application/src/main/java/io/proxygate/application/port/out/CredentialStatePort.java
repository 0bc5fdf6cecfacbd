package io.proxygate.application.port.out;

import io.proxygate.domain.credential.CredentialId;

import java.util.Map;

/** Stores credential runtime state (cooldowns, needs-login marks, usage windows) across restarts. */
public interface CredentialStatePort {
    Map<CredentialId, CredentialStateRecord> loadAll();

    /** Upserts one credential's state. May be called from hot paths: implementations must not block long. */
    void save(CredentialStateRecord state);

    /**
     * Erases a stored cooldown, failure streak and needs-login mark (an operator's reset). Saves never shorten a
     * stored cooldown, so this is the one way to end one early. Default: nothing stored to erase.
     */
    default void clearCooldown(CredentialId id) {
    }
}
