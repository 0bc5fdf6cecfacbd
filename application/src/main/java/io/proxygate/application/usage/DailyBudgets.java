package io.proxygate.application.usage;

import io.proxygate.application.port.out.UsageStatsPort;
import io.proxygate.application.proxy.SpendLimit;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.CredentialKind;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-credential daily budgets ({@code [usage] account_daily_budget_usd} / {@code key_daily_budget_usd}): once a
 * credential's estimated cost today (the server's local day) reaches its budget, it takes no new requests until
 * midnight. Today's spend is read from the request log once per day, then kept up to date from finished requests.
 */
public final class DailyBudgets implements SpendLimit {
    private final BigDecimal accountBudget;
    private final BigDecimal keyBudget;
    private final UsageStatsPort stats;
    private final InstantSource clock;
    private final ZoneId zone;
    private volatile Day today;

    /** Spend per credential on one local day. */
    private record Day(LocalDate date, Map<CredentialId, BigDecimal> spent) {
    }

    /** Budgets in USD; zero or negative means no budget for that family. */
    public DailyBudgets(BigDecimal accountBudget, BigDecimal keyBudget, UsageStatsPort stats, InstantSource clock,
                        ZoneId zone) {
        this.accountBudget = accountBudget;
        this.keyBudget = keyBudget;
        this.stats = stats;
        this.clock = clock;
        this.zone = zone;
    }

    public boolean active() {
        return accountBudget.signum() > 0 || keyBudget.signum() > 0;
    }

    @Override
    public Optional<String> blocks(Credential credential) {
        BigDecimal budget = budgetOf(credential.kind());
        if (budget.signum() <= 0) {
            return Optional.empty();
        }
        BigDecimal spent = day().spent().getOrDefault(credential.id(), BigDecimal.ZERO);
        return spent.compareTo(budget) >= 0
                ? Optional.of("daily budget reached ($" + spent.toPlainString() + " of $" + budget.toPlainString()
                + " today)")
                : Optional.empty();
    }

    @Override
    public void spent(RequestRecord record) {
        if (!active() || record.costUsd().isEmpty() || record.credential().isEmpty()) {
            return;
        }
        Day day = day();
        if (LocalDate.ofInstant(record.startedAt(), zone).equals(day.date())) {
            day.spent().merge(record.credential().get(), record.costUsd().get(), BigDecimal::add);
        }
    }

    private BigDecimal budgetOf(CredentialKind kind) {
        return kind.isAccount() ? accountBudget : keyBudget;
    }

    /** Today's spend, loaded from the request log the first time a day is asked for. */
    private Day day() {
        Instant now = clock.instant();
        LocalDate date = LocalDate.ofInstant(now, zone);
        Day current = today;
        if (current != null && current.date().equals(date)) {
            return current;
        }
        synchronized (this) {
            if (today == null || !today.date().equals(date)) {
                Map<CredentialId, BigDecimal> spent = new ConcurrentHashMap<>();
                for (UsageTotals t : stats.totalsByCredential(date.atStartOfDay(zone).toInstant(), now.plusSeconds(1))) {
                    t.credential().ifPresent(id -> spent.put(id, t.costUsd()));
                }
                today = new Day(date, spent);
            }
            return today;
        }
    }
}
