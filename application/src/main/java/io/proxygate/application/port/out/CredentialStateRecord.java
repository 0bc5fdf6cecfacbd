package io.proxygate.application.port.out;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindows;

import java.time.Instant;
import java.util.Optional;

/**
 * Runtime facts about a credential that must survive a restart (and that instances sharing a database share).
 *
 * @param needsLoginChangedAt when the needs-login mark was last set or cleared, if known: when instances disagree,
 *                            the newest change wins
 */
public record CredentialStateRecord(CredentialId id, Optional<Instant> cooldownUntil, Optional<String> cooldownReason,
                                    Optional<String> needsLoginReason, int failureStreak,
                                    Optional<UsageWindows> windows, Optional<Instant> lastUsed,
                                    Optional<Instant> needsLoginChangedAt) {
    public CredentialStateRecord {
        cooldownUntil = cooldownUntil == null ? Optional.empty() : cooldownUntil;
        cooldownReason = cooldownReason == null ? Optional.empty() : cooldownReason;
        needsLoginReason = needsLoginReason == null ? Optional.empty() : needsLoginReason;
        windows = windows == null ? Optional.empty() : windows;
        lastUsed = lastUsed == null ? Optional.empty() : lastUsed;
        needsLoginChangedAt = needsLoginChangedAt == null ? Optional.empty() : needsLoginChangedAt;
    }

    /** A record that does not know when its needs-login mark changed. */
    public CredentialStateRecord(CredentialId id, Optional<Instant> cooldownUntil, Optional<String> cooldownReason,
                                 Optional<String> needsLoginReason, int failureStreak,
                                 Optional<UsageWindows> windows, Optional<Instant> lastUsed) {
        this(id, cooldownUntil, cooldownReason, needsLoginReason, failureStreak, windows, lastUsed, Optional.empty());
    }
}
