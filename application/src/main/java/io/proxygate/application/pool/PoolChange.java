package io.proxygate.application.pool;

import io.proxygate.domain.credential.CredentialId;

import java.util.Set;

/**
 * What one reload changed. {@code tokensChanged} lists accounts whose access token differs from before: a fresh
 * login, which clears a needs-login mark.
 */
public record PoolChange(Set<CredentialId> added, Set<CredentialId> changed, Set<CredentialId> removed,
                         Set<CredentialId> tokensChanged) {
    public PoolChange {
        added = Set.copyOf(added);
        changed = Set.copyOf(changed);
        removed = Set.copyOf(removed);
        tokensChanged = Set.copyOf(tokensChanged);
    }

    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }
}
