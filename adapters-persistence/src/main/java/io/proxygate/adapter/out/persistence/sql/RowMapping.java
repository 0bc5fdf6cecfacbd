package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.TokenUsage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Explicit mapping between the application's records and the persistence rows, in both directions. */
final class RowMapping {
    private RowMapping() {
    }

    static RequestLogRow toRow(RequestRecord r) {
        TokenUsage t = r.tokens();
        return new RequestLogRow(r.requestId(), r.startedAt().toEpochMilli(), Objects.requireNonNullElse(r.route(), ""),
                Objects.requireNonNullElse(r.provider(), "none"), r.credential().map(CredentialId::value).orElse(null),
                Objects.requireNonNullElse(r.model(), ""), r.serviceTier().orElse(null), r.status(),
                t.inputTokens(), t.cachedInputTokens(), t.cacheCreationTokens(), t.outputTokens(), t.reasoningTokens(),
                r.costUsd().map(BigDecimal::toPlainString).orElse(null),
                r.latency() == null ? 0 : r.latency().toMillis(),
                r.timeToFirstByte().map(Duration::toMillis).orElse(null), r.errorClass().orElse(null),
                r.errorText().orElse(null), r.responseId().orElse(null), r.incomplete() ? 1 : 0, r.routingNote(),
                r.clientKey(), r.translation().orElse(null));
    }

    static RequestRecord toRecord(RequestLogRow row) {
        return new RequestRecord(row.id(), Instant.ofEpochMilli(row.startedAt()), row.route(), row.provider(),
                Optional.ofNullable(row.credentialId()).map(CredentialId::new), row.model(),
                Optional.ofNullable(row.serviceTier()), row.status(),
                new TokenUsage(row.inputTokens(), row.cachedInputTokens(), row.cacheCreationTokens(),
                        row.outputTokens(), row.reasoningTokens()),
                Optional.ofNullable(row.costUsd()).map(BigDecimal::new), Duration.ofMillis(row.latencyMs()),
                Optional.ofNullable(row.ttfbMs()).map(Duration::ofMillis), Optional.ofNullable(row.errorClass()),
                Optional.ofNullable(row.errorText()), Optional.ofNullable(row.responseId()), row.incomplete() != 0,
                row.routingNote(), row.clientKey(), Optional.ofNullable(row.translation()));
    }

    static CredentialStateRow toRow(CredentialStateRecord s, Instant updatedAt) {
        Optional<UsageWindows> w = s.windows();
        Optional<UsageWindow> five = w.flatMap(UsageWindows::fiveHour);
        Optional<UsageWindow> week = w.flatMap(UsageWindows::weekly);
        return new CredentialStateRow(s.id().value(), millis(s.cooldownUntil()), s.cooldownReason().orElse(null),
                s.needsLoginReason().orElse(null), s.failureStreak(),
                millis(w.map(UsageWindows::observedAt)), w.map(UsageWindows::limitReached).orElse(false) ? 1 : 0,
                five.map(UsageWindow::usedFraction).orElse(null), millis(five.flatMap(UsageWindow::resetsAt)),
                five.map(x -> x.length().toSeconds()).orElse(null),
                week.map(UsageWindow::usedFraction).orElse(null), millis(week.flatMap(UsageWindow::resetsAt)),
                week.map(x -> x.length().toSeconds()).orElse(null),
                millis(s.lastUsed()), updatedAt.toEpochMilli(), millis(s.needsLoginChangedAt()));
    }

    static CredentialStateRecord toRecord(CredentialStateRow row) {
        Optional<UsageWindows> windows = Optional.ofNullable(row.windowsObservedAt()).map(observed -> new UsageWindows(
                window(row.fiveHourUsed(), row.fiveHourResetsAt(), row.fiveHourLengthS(), UsageWindow.FIVE_HOURS),
                window(row.weeklyUsed(), row.weeklyResetsAt(), row.weeklyLengthS(), UsageWindow.WEEK),
                row.limitReached() != 0, Instant.ofEpochMilli(observed)));
        return new CredentialStateRecord(new CredentialId(row.id()), instant(row.cooldownUntil()),
                Optional.ofNullable(row.cooldownReason()), Optional.ofNullable(row.needsLoginReason()),
                row.failureStreak(), windows, instant(row.lastUsed()), instant(row.needsLoginChangedAt()));
    }

    private static Optional<UsageWindow> window(Double used, Long resetsAt, Long lengthSeconds, Duration fallback) {
        if (used == null) {
            return Optional.empty();
        }
        return Optional.of(new UsageWindow(used, instant(resetsAt),
                lengthSeconds == null ? fallback : Duration.ofSeconds(lengthSeconds)));
    }

    private static Long millis(Optional<Instant> instant) {
        return instant.map(Instant::toEpochMilli).orElse(null);
    }

    private static Optional<Instant> instant(Long millis) {
        return Optional.ofNullable(millis).map(Instant::ofEpochMilli);
    }
}
