package io.proxygate.application.port.out;

import io.proxygate.application.usage.RequestRecord;
import io.proxygate.application.usage.StatsRow;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** Read side of the request log: totals, roll-ups and recent rows, all derived from the logged requests. */
public interface UsageStatsPort {
    /** How {@link #stats} groups rows. */
    enum GroupBy { CREDENTIAL, MODEL, DAY, HOUR, CLIENT_KEY }

    /** Totals per credential for rows started in {@code [from, to)}. */
    List<UsageTotals> totalsByCredential(Instant from, Instant to);

    /** Totals per credential, model and service tier for rows started in {@code [from, to)}. */
    List<UsageTotals> totalsByCredentialAndModel(Instant from, Instant to);

    /** Grouped statistics with latency and time-to-first-byte percentiles; days and hours in {@code zone}. */
    List<StatsRow> stats(GroupBy groupBy, Instant from, Instant to, ZoneId zone);

    /** Most recent rows first, optionally for one credential. */
    List<RequestRecord> recent(int limit, Optional<CredentialId> credential);

    /** Most recent rows first, optionally for one credential and one client key (an id, {@code owner}, {@code open}). */
    default List<RequestRecord> recent(int limit, Optional<CredentialId> credential, Optional<String> clientKey) {
        if (clientKey.isEmpty()) {
            return recent(limit, credential);
        }
        return recent(Math.max(limit, 1000), credential).stream()
                .filter(r -> r.clientKey().equals(clientKey.get())).limit(limit).toList();
    }
}
