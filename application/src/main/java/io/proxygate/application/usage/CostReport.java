package io.proxygate.application.usage;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * {@code GET /admin/usage/cost}: what today cost. API keys cost real money ({@code realCost}); subscription accounts
 * are shown at the price the same tokens would have had on the API ({@code equivalentCost}).
 */
public record CostReport(UsageSummary today, BigDecimal realCost, BigDecimal equivalentCost, List<Row> byAccount,
                         List<Row> byKey) {
    public CostReport {
        Objects.requireNonNull(today, "today");
        byAccount = List.copyOf(byAccount);
        byKey = List.copyOf(byKey);
    }

    /** One credential's day, with its per-model rows by cost, highest first. */
    public record Row(String id, UsageSummary total, List<UsageSummary> byModel) {
        public Row {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(total, "total");
            byModel = List.copyOf(byModel);
        }
    }
}
