package io.proxygate.domain.credential;

import io.proxygate.domain.clientkey.Globs;

import java.util.List;
import java.util.Optional;

/**
 * What the operator set in a credential's pool file beyond the credential itself: its outbound proxy (absent: the
 * configured default), a cap on requests in flight (0: none), the models it may serve ({@code models}, globs; empty:
 * all) minus {@code excludeModels}, and its priority tier (higher tiers are used first; 0 by default).
 */
public record CredentialControls(Optional<OutboundProxy> proxy, int maxConcurrent, List<String> models,
                                 List<String> excludeModels, int priority) {
    public static final CredentialControls NONE = new CredentialControls(Optional.empty(), 0, List.of(), List.of(), 0);

    public CredentialControls {
        proxy = proxy == null ? Optional.empty() : proxy;
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("max_concurrent must not be negative");
        }
        models = models == null ? List.of() : List.copyOf(models);
        excludeModels = excludeModels == null ? List.of() : List.copyOf(excludeModels);
    }

    public boolean hasModelRules() {
        return !models.isEmpty() || !excludeModels.isEmpty();
    }

    /** Whether routing may send this credential a request for {@code model} (case-insensitive globs). */
    public boolean allowsModel(String model) {
        String m = model == null ? "" : model;
        if (!models.isEmpty() && models.stream().noneMatch(g -> Globs.matches(g, m))) {
            return false;
        }
        return excludeModels.stream().noneMatch(g -> Globs.matches(g, m));
    }

    /** Why {@code model} is refused, for routing explanations (call when {@link #allowsModel} is false). */
    public String modelRefusal(String model) {
        if (!models.isEmpty() && models.stream().noneMatch(g -> Globs.matches(g, model))) {
            return "model " + model + " is not in models " + models;
        }
        return "model " + model + " is in exclude_models " + excludeModels;
    }

    /** A short non-secret summary for CLIs and logs. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        proxy.ifPresent(p -> b.append("proxy=").append(p.display()).append(' '));
        if (maxConcurrent > 0) {
            b.append("max_concurrent=").append(maxConcurrent).append(' ');
        }
        if (!models.isEmpty()) {
            b.append("models=").append(String.join(",", models)).append(' ');
        }
        if (!excludeModels.isEmpty()) {
            b.append("exclude_models=").append(String.join(",", excludeModels)).append(' ');
        }
        if (priority != 0) {
            b.append("priority=").append(priority).append(' ');
        }
        return b.toString().strip();
    }
}
