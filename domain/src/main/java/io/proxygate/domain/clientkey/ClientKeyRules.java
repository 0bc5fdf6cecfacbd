package io.proxygate.domain.clientkey;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one client key may do; every rule is optional (absent or empty means no limit).
 *
 * @param models           glob allow-list of model names ({@code *} any run of characters, {@code ?} one)
 * @param routes           allowed route families: {@code messages}, {@code responses}, {@code chat},
 *                         {@code passthrough} (empty: the first three)
 * @param dailyBudgetUsd   estimated cost allowed per local day
 * @param monthlyBudgetUsd estimated cost allowed per calendar month (local time)
 * @param rpm              requests started per rolling minute
 * @param maxConcurrent    requests in flight at once
 * @param expiresAt        after this instant the key is refused
 * @param metadata         free-form labels for the admin (owner, team, laptop...)
 */
public record ClientKeyRules(List<String> models, List<String> routes, Optional<BigDecimal> dailyBudgetUsd,
                             Optional<BigDecimal> monthlyBudgetUsd, Optional<Integer> rpm,
                             Optional<Integer> maxConcurrent, Optional<Instant> expiresAt,
                             Map<String, String> metadata) {
    public static final Set<String> ROUTE_NAMES = Set.of("messages", "responses", "chat", "passthrough");
    public static final ClientKeyRules NONE = new ClientKeyRules(List.of(), List.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

    public ClientKeyRules {
        models = models == null ? List.of() : models.stream().map(String::strip).filter(m -> !m.isEmpty()).toList();
        routes = routes == null ? List.of() : routes.stream().map(String::strip).filter(r -> !r.isEmpty()).toList();
        for (String r : routes) {
            if (!ROUTE_NAMES.contains(r)) {
                throw new IllegalArgumentException("unknown route '" + r + "' (use messages, responses, chat, "
                        + "passthrough)");
            }
        }
        dailyBudgetUsd = positiveOrZero("daily_budget_usd", dailyBudgetUsd);
        monthlyBudgetUsd = positiveOrZero("monthly_budget_usd", monthlyBudgetUsd);
        rpm = positive("rpm", rpm);
        maxConcurrent = positive("max_concurrent", maxConcurrent);
        expiresAt = expiresAt == null ? Optional.empty() : expiresAt;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    private static Optional<BigDecimal> positiveOrZero(String name, Optional<BigDecimal> value) {
        if (value == null) {
            return Optional.empty();
        }
        value.ifPresent(v -> {
            if (v.signum() < 0) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
        });
        return value;
    }

    private static Optional<Integer> positive(String name, Optional<Integer> value) {
        if (value == null) {
            return Optional.empty();
        }
        value.ifPresent(v -> {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be at least 1");
            }
        });
        return value;
    }

    /** Whether {@code model} matches the allow-list (any model when the list is empty). */
    public boolean allowsModel(String model) {
        if (models.isEmpty()) {
            return true;
        }
        if (model == null || model.isBlank()) {
            return false;
        }
        for (String glob : models) {
            if (Globs.matches(glob, model)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the route family ({@code messages}, {@code responses}, ...) is allowed. With no routes listed every
     * model API is, but not {@code passthrough}: it carries the pooled ChatGPT accounts' own site (their
     * conversations, settings, files), which a key reaches only when its routes name it.
     */
    public boolean allowsRoute(String family) {
        return routes.isEmpty() ? !PASSTHROUGH.equals(family) : routes.contains(family);
    }

    /** The route family of the ChatGPT site's own paths. */
    public static final String PASSTHROUGH = "passthrough";

    public boolean expired(Instant now) {
        return expiresAt.map(e -> !now.isBefore(e)).orElse(false);
    }
}
