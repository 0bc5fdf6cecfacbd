package io.proxygate.application.usage;

import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /admin/usage}: today's usage in total and per credential. Keyed by: a ChatGPT account's
 * email, {@code claude:<email>} for Claude accounts (both in {@code byAccount}); a key's id and {@code vertex-ai}
 * (in {@code byKey}).
 */
public record TodayUsage(UsageSummary today, Map<String, UsageSummary> byAccount, Map<String, UsageSummary> byKey) {
    public TodayUsage {
        Objects.requireNonNull(today, "today");
        byAccount = Map.copyOf(byAccount);
        byKey = Map.copyOf(byKey);
    }
}
