package io.proxygate.application.port.out;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindows;

import java.time.Instant;
import java.util.Optional;

/** Runtime facts about a credential that must survive a restart. */
public record CredentialStateRecord(CredentialId id, Optional<Instant> cooldownUntil, Optional<String> cooldownReason,
                                    Optional<String> needsLoginReason, int failureStreak,
                                    Optional<UsageWindows> windows, Optional<Instant> lastUsed) {
    public CredentialStateRecord {
        cooldownUntil = cooldownUntil == null ? Optional.empty() : cooldownUntil;
        cooldownReason = cooldownReason == null ? Optional.empty() : cooldownReason;
        needsLoginReason = needsLoginReason == null ? Optional.empty() : needsLoginReason;
        windows = windows == null ? Optional.empty() : windows;
        lastUsed = lastUsed == null ? Optional.empty() : lastUsed;
    }
}
