package io.proxygate.application.admin;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.routing.RouteQuery;
import io.proxygate.application.routing.RoutingPlan;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Answers "which credential would serve this request now, and why not the others?" by asking the router for a plan
 * (nothing is leased or recorded) and accounting for every pooled credential.
 */
public final class RoutingExplainService {
    private final CredentialPool pool;
    private final CredentialRouter router;
    private volatile io.proxygate.domain.translate.TranslationPolicy translation =
            io.proxygate.domain.translate.TranslationPolicy.OFF;

    public RoutingExplainService(CredentialPool pool, CredentialRouter router) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.router = Objects.requireNonNull(router, "router");
    }

    /** The operator's {@code [translate]} table, so the explanation says when the other family would serve. */
    public RoutingExplainService translate(io.proxygate.domain.translate.TranslationPolicy policy) {
        this.translation = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * @param model   blank means {@code unknown}, as the proxy treats a request without a model
     * @param session a client session id ({@code session_id} header), to see the conversation's pin
     */
    public RoutingExplanation explain(Api api, String model, Optional<String> session) {
        Objects.requireNonNull(api, "api");
        String m = model == null || model.isBlank() ? "unknown" : model.trim();
        Optional<String> s = session == null ? Optional.empty() : session.map(String::trim).filter(v -> !v.isEmpty());
        RoutingPlan plan = router.explainPlan(new RouteQuery(api, m, s.map(ConversationKey::session), Optional.empty()));

        List<RoutingExplanation.Entry> entries = new ArrayList<>();
        Set<CredentialId> seen = new HashSet<>();
        int rank = 0;
        for (RoutingPlan.Candidate c : plan.candidates()) {
            Credential credential = c.credential();
            if (!seen.add(credential.id())) {
                continue;
            }
            rank++;
            entries.add(new RoutingExplanation.Entry(credential.id(), credential.label(), credential.kind(),
                    rank == 1 ? RoutingExplanation.Verdict.PICKED : RoutingExplanation.Verdict.CANDIDATE,
                    Optional.of(rank), OptionalDouble.of(c.score()), withHealth(credential.id(), c.why())));
        }
        CredentialPool.Snapshot snapshot = pool.snapshot();
        for (RoutingPlan.Skip skip : plan.skipped()) {
            if (!seen.add(skip.id())) {
                continue;
            }
            Optional<Credential> credential = snapshot.entry(skip.id()).map(e -> e.credential());
            entries.add(new RoutingExplanation.Entry(skip.id(), credential.map(Credential::label).orElse(skip.id().value()),
                    credential.map(Credential::kind).orElse(null), RoutingExplanation.Verdict.SKIPPED,
                    Optional.empty(), OptionalDouble.empty(), withHealth(skip.id(), skip.reason())));
        }
        List<Credential> rest = snapshot.credentials().stream().filter(c -> !seen.contains(c.id()))
                .sorted(Comparator.comparing(Credential::label)).toList();
        for (Credential c : rest) {
            boolean serves = c.serves(api);
            entries.add(new RoutingExplanation.Entry(c.id(), c.label(), c.kind(),
                    serves ? (c.disabled() ? RoutingExplanation.Verdict.SKIPPED : RoutingExplanation.Verdict.NOT_RANKED)
                            : RoutingExplanation.Verdict.WRONG_API,
                    Optional.empty(), OptionalDouble.empty(),
                    !serves ? "a " + c.kind().provider() + " credential does not serve " + apiName(api)
                            : c.disabled() ? "disabled"
                            : "eligible, but ranked below the " + plan.candidates().size()
                            + " candidates offered per request"));
        }
        return new RoutingExplanation(api, m, s, plan.pinned(), entries, translation(api, m, plan, snapshot));
    }

    /** What {@code [translate]} would do with this request now, in the request log's words, or why it would not. */
    private Optional<String> translation(Api api, String model, RoutingPlan plan, CredentialPool.Snapshot snapshot) {
        io.proxygate.domain.translate.TranslationPolicy policy = translation;
        if (!policy.enabled()) {
            return Optional.empty();
        }
        io.proxygate.domain.translate.TranslationPolicy.FamilyState state = !plan.candidates().isEmpty()
                ? io.proxygate.domain.translate.TranslationPolicy.FamilyState.ROUTABLE
                : snapshot.credentials().stream().noneMatch(c -> c.serves(api) && !c.disabled())
                ? io.proxygate.domain.translate.TranslationPolicy.FamilyState.NONE_ROUTABLE
                : io.proxygate.domain.translate.TranslationPolicy.FamilyState.EXHAUSTED;
        boolean otherServes = policy.mappingFor(api, model).map(mapping -> snapshot.credentials().stream()
                .anyMatch(c -> c.serves(mapping.servedBy()) && !c.disabled())).orElse(false);
        return Optional.of(policy.decide(api, model, state, otherServes)
                .map(io.proxygate.domain.translate.Translation::describe)
                .orElseGet(() -> "not translated: " + policy.whyNot(api, model, state, otherServes)));
    }

    /** The reason, followed by the credential's time-to-first-byte and error-rate averages when there are any. */
    private String withHealth(CredentialId id, String why) {
        return router.health(id).map(h -> why + "; " + h).orElse(why);
    }

    static String apiName(Api api) {
        return switch (api) {
            case RESPONSES -> "the Responses API";
            case MESSAGES -> "the Messages API";
            case CHAT_COMPLETIONS -> "Chat Completions";
        };
    }

    /** Parses {@code responses}, {@code messages} or {@code chat} (any case). */
    public static Optional<Api> parseApi(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "responses" -> Optional.of(Api.RESPONSES);
            case "messages" -> Optional.of(Api.MESSAGES);
            case "chat", "chat_completions", "chat-completions" -> Optional.of(Api.CHAT_COMPLETIONS);
            default -> Optional.empty();
        };
    }
}
