package io.proxygate.application.routing;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindows;

import java.time.Instant;
import java.util.Optional;

/** The router's runtime view of one credential, for status, the admin API and the dashboard. */
public record CredentialStatus(CredentialId id, int inFlight, Optional<Instant> cooldownUntil,
                               Optional<String> cooldownReason, Optional<String> needsLoginReason,
                               Optional<UsageWindows> windows, Optional<Instant> lastUsed,
                               java.util.Map<String, Instant> modelCooldowns) {
    public CredentialStatus {
        modelCooldowns = modelCooldowns == null ? java.util.Map.of() : java.util.Map.copyOf(modelCooldowns);
    }

    public CredentialStatus(CredentialId id, int inFlight, Optional<Instant> cooldownUntil,
                            Optional<String> cooldownReason, Optional<String> needsLoginReason,
                            Optional<UsageWindows> windows, Optional<Instant> lastUsed) {
        this(id, inFlight, cooldownUntil, cooldownReason, needsLoginReason, windows, lastUsed, java.util.Map.of());
    }
}
