package io.proxygate.application.routing;

import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;

import java.util.List;

/**
 * The router's answer: eligible credentials best first, and why every other pooled credential was skipped.
 * {@code pinned} is true when the first candidate is there because the conversation is pinned to it.
 * {@code moved} says why the conversation leaves the credential it is pinned to (ineligible, slow, failing), or is
 * null when it does not.
 */
public record RoutingPlan(List<Candidate> candidates, List<Skip> skipped, boolean pinned, String moved) {
    public RoutingPlan {
        candidates = List.copyOf(candidates);
        skipped = List.copyOf(skipped);
    }

    public RoutingPlan(List<Candidate> candidates, List<Skip> skipped, boolean pinned) {
        this(candidates, skipped, pinned, null);
    }

    /** An eligible credential with its score and a short human explanation of the score. */
    public record Candidate(Credential credential, double score, String why) {
    }

    /** A credential the router did not offer, and why (cooldown until X, window exhausted, disabled, ...). */
    public record Skip(CredentialId id, String reason) {
    }
}
