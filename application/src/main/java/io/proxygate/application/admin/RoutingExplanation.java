package io.proxygate.application.admin;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.CredentialKind;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the router would do with a request right now: every pooled credential, in the router's order, with its
 * verdict and the reason. {@code pinned} is true when the pick is the conversation's pinned credential.
 * {@code translation} says whether the request would go to the other API family ({@code [translate]}) and why, or
 * why not; empty when translation is off.
 */
public record RoutingExplanation(Api api, String model, Optional<String> session, boolean pinned,
                                 List<Entry> entries, Optional<String> translation) {
    public RoutingExplanation {
        Objects.requireNonNull(api, "api");
        entries = List.copyOf(entries);
        translation = translation == null ? Optional.empty() : translation;
    }

    public RoutingExplanation(Api api, String model, Optional<String> session, boolean pinned, List<Entry> entries) {
        this(api, model, session, pinned, entries, Optional.empty());
    }

    public enum Verdict {
        /** The router's first choice. */
        PICKED,
        /** Eligible, tried next if the pick fails. */
        CANDIDATE,
        /** Eligible, but ranked below the candidates the router offers for one request. */
        NOT_RANKED,
        /** Not offered now (disabled, cooling down, window spent, needs login, ...). */
        SKIPPED,
        /** Cannot serve this API at all. */
        WRONG_API
    }

    /** @param rank 1 for the pick, 2.. for the other candidates */
    public record Entry(CredentialId id, String label, CredentialKind kind, Verdict verdict, Optional<Integer> rank,
                        OptionalDouble score, String why) {
        public Entry {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(verdict, "verdict");
            why = why == null ? "" : why;
        }
    }

    public Optional<Entry> pick() {
        return entries.stream().filter(e -> e.verdict() == Verdict.PICKED).findFirst();
    }
}
