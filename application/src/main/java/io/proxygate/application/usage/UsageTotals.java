package io.proxygate.application.usage;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.usage.TokenUsage;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Request-log rows added up over a time range, for one credential (and optionally one model and tier).
 *
 * @param unpriced requests whose model had no price
 */
public record UsageTotals(Optional<CredentialId> credential, Optional<String> model, Optional<String> serviceTier,
                          long requests, long errors, long unpriced, TokenUsage tokens, BigDecimal costUsd) {
    public UsageTotals {
        credential = credential == null ? Optional.empty() : credential;
        model = model == null ? Optional.empty() : model;
        serviceTier = serviceTier == null ? Optional.empty() : serviceTier;
        tokens = tokens == null ? TokenUsage.NONE : tokens;
        costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
    }
}
