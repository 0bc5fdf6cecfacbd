package io.proxygate.adapter.in.http.admin;

import io.proxygate.application.admin.CredentialView;
import io.proxygate.application.admin.PoolAdminService;
import io.proxygate.application.admin.RoutingExplanation;
import io.proxygate.application.port.out.DeletedFile;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.usage.CostReport;
import io.proxygate.application.usage.PollStatus;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.application.usage.SeriesPoint;
import io.proxygate.application.usage.StatsRow;
import io.proxygate.application.usage.TodayUsage;
import io.proxygate.application.usage.UsageSummary;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.routing.UsageWindows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API's JSON shapes: a fixed set of fields per object that existing clients read (see
 * docs/go-compatibility.md), with newer fields after them. Only fingerprints
 * of secrets ever appear.
 */
final class AdminViews {
    /** Polling counts as failing from this many failures in a row: one or two can be a blip, three are a pattern. */
    static final int FAILING_AFTER = 3;

    private AdminViews() {
    }

    static Map<String, Object> account(CredentialView v, Instant now, LocalDate date) {
        ChatGptAccount a = (ChatGptAccount) v.entry().credential();
        Json json = Json.object().put("email", a.email()).put("account_id", a.accountId())
                .put("plan_type", a.plan().wireName());
        totals(json, v.lifetime());
        json.put("disabled", a.disabled());
        state(json, v, now, true);
        windows(json, v);
        v.status().flatMap(CredentialStatus::lastUsed).ifPresent(t -> json.put("last_used", t));
        Optional<Instant> polledAt = polledAt(v);
        polledAt.ifPresent(t -> json.put("last_wham_at", t).put("wham_age_seconds", age(t, now)));
        v.poll().ifPresent(p -> json.nonZero("wham_fail_count", p.consecutiveFailures())
                .flag("wham_failing", p.consecutiveFailures() >= FAILING_AFTER).opt("last_wham_err", p.lastError()));
        json.flag("wham_limit_reached", windowsOf(v).map(UsageWindows::limitReached).orElse(false));
        refreshes(json, v);
        extras(json, v, now, date);
        return json.build();
    }

    static Map<String, Object> claudeAccount(CredentialView v, Instant now, LocalDate date) {
        ClaudeAccount a = (ClaudeAccount) v.entry().credential();
        Json json = Json.object().put("email", a.email()).optValue("account_id", a.accountId())
                .optValue("subscription_type", a.subscriptionType()).optValue("rate_limit_tier", a.rateLimitTier());
        totals(json, v.lifetime());
        json.put("disabled", a.disabled());
        state(json, v, now, true);
        v.status().flatMap(CredentialStatus::lastUsed).ifPresent(t -> json.put("last_used", t));
        windows(json, v);
        polledAt(v).ifPresent(t -> json.put("last_usage_at", t).put("usage_age_seconds", age(t, now)));
        v.poll().ifPresent(p -> json.opt("last_usage_err", p.lastError())
                .nonZero("usage_fail_count", p.consecutiveFailures())
                .flag("usage_failing", p.consecutiveFailures() >= FAILING_AFTER));
        json.flag("usage_limit_reached", windowsOf(v).map(UsageWindows::limitReached).orElse(false));
        refreshes(json, v);
        extras(json, v, now, date);
        return json.build();
    }

    static Map<String, Object> key(CredentialView v, Instant now, LocalDate date) {
        ApiKey k = (ApiKey) v.entry().credential();
        Json json = Json.object().put("id", k.keyId());
        if (!k.name().equals(k.keyId())) {
            json.put("name", k.name());
        }
        json.put("type", k.type().wireName()).opt("base_url", k.baseUrl());
        totals(json, v.lifetime());
        json.flag("disabled", k.disabled());
        state(json, v, now, false);
        v.status().flatMap(CredentialStatus::lastUsed).ifPresent(t -> json.put("last_used", t));
        extras(json, v, now, date);
        return json.build();
    }

    /** A file waiting in {@code .deleted/}: what it was, never its secret. */
    static Map<String, Object> deleted(DeletedFile d) {
        Json json = Json.object().put("name", d.name()).put("folder", d.folder()).put("file", d.fileName())
                .put("deleted_at", d.deletedAt());
        d.content().credential().ifPresent(c -> json.put("label", c.label()).put("kind", c.kind().provider())
                .put("fingerprint", c.fingerprint()));
        json.opt("problem", d.content().problem());
        return json.build();
    }

    /** The credential as created or changed by a call (never the secret). */
    static Map<String, Object> brief(Credential c) {
        Json json = Json.object();
        switch (c) {
            case ApiKey k -> json.put("id", k.keyId()).put("name", k.name()).put("type", k.type().wireName())
                    .opt("base_url", k.baseUrl());
            case ChatGptAccount a -> json.put("email", a.email()).put("account_id", a.accountId())
                    .put("plan_type", a.plan().wireName());
            case ClaudeAccount a -> json.put("email", a.email()).optValue("account_id", a.accountId())
                    .optValue("subscription_type", a.subscriptionType());
        }
        return json.put("disabled", c.disabled()).put("fingerprint", c.fingerprint()).build();
    }

    /** {@code last_refresh_at}, {@code last_refresh_err_at}, {@code last_refresh_err}, {@code refresh_fail_count}. */
    private static void refreshes(Json json, CredentialView v) {
        v.refresh().ifPresent(r -> json.opt("last_refresh_at", r.lastRefreshAt())
                .opt("last_refresh_err_at", r.lastErrorAt()).opt("last_refresh_err", r.lastError())
                .nonZero("refresh_fail_count", r.failures()));
    }

    private static void totals(Json json, UsageTotals t) {
        json.put("total_requests", t.requests()).put("total_input_tokens", t.tokens().inputTokens())
                .put("total_output_tokens", t.tokens().outputTokens()).put("total_cost", t.costUsd());
    }

    /** {@code dead}, {@code dead_reason}, {@code cooldown_until} (future only). */
    private static void state(Json json, CredentialView v, Instant now, boolean alwaysDead) {
        Optional<String> dead = v.status().flatMap(CredentialStatus::needsLoginReason);
        if (alwaysDead) {
            json.put("dead", dead.isPresent());
        } else {
            json.flag("dead", dead.isPresent());
        }
        json.opt("dead_reason", dead);
        v.status().flatMap(CredentialStatus::cooldownUntil).filter(t -> t.isAfter(now))
                .ifPresent(t -> json.put("cooldown_until", t));
    }

    /** Used fractions (0..1) and reset times of the 5-hour ("primary") and weekly ("secondary") windows. */
    private static void windows(Json json, CredentialView v) {
        Optional<UsageWindows> w = windowsOf(v);
        w.flatMap(UsageWindows::fiveHour).ifPresent(x -> json.put("primary_used_pct", x.usedFraction())
                .opt("primary_reset_at", x.resetsAt()));
        w.flatMap(UsageWindows::weekly).ifPresent(x -> json.put("secondary_used_pct", x.usedFraction())
                .opt("secondary_reset_at", x.resetsAt()));
    }

    private static Optional<UsageWindows> windowsOf(CredentialView v) {
        return v.status().flatMap(CredentialStatus::windows);
    }

    /** The last successful poll, else when windows were last seen (response headers keep them fresh too). */
    private static Optional<Instant> polledAt(CredentialView v) {
        return v.poll().flatMap(PollStatus::lastSuccessAt).or(() -> windowsOf(v).map(UsageWindows::observedAt));
    }

    private static void extras(Json json, CredentialView v, Instant now, LocalDate date) {
        Credential c = v.entry().credential();
        json.put("fingerprint", c.fingerprint());
        json.put("file", Optional.ofNullable(Path.of(v.entry().path()).getFileName()).map(Path::toString).orElse(""));
        v.status().ifPresent(s -> json.put("in_flight", s.inFlight()).opt("cooldown_reason",
                s.cooldownUntil().filter(t -> t.isAfter(now)).flatMap(t -> s.cooldownReason())));
        PoolAdminService.expiresAt(c).ifPresent(t -> json.put("expires_at", t));
        controls(json, v);
        v.today().ifPresent(t -> json.put("today", usage(new UsageSummary(date, t.requests(), t.errors(), t.unpriced(), t.tokens(), t.costUsd(),
                Optional.empty(), Optional.empty()))));
    }

    /**
     * The operator's per-credential controls from the pool file and the model cooldowns: {@code proxy} (scheme,
     * host and port only, never the login), {@code max_concurrent}, {@code models}, {@code exclude_models},
     * {@code priority} and {@code model_cooldowns} (family to end), each only when set.
     */
    private static void controls(Json json, CredentialView v) {
        var c = v.entry().controls();
        c.proxy().ifPresent(p -> json.put("proxy", p.display()));
        json.nonZero("max_concurrent", c.maxConcurrent());
        if (!c.models().isEmpty()) {
            json.put("models", c.models());
        }
        if (!c.excludeModels().isEmpty()) {
            json.put("exclude_models", c.excludeModels());
        }
        json.nonZero("priority", c.priority());
        v.status().map(CredentialStatus::modelCooldowns).filter(m -> !m.isEmpty())
                .ifPresent(m -> json.put("model_cooldowns", new java.util.TreeMap<>(m)));
    }

    private static long age(Instant t, Instant now) {
        return Math.max(0, Duration.between(t, now).toSeconds());
    }

    // ---------------------------------------------------------------- usage

    /** One usage aggregate: date, optional model and tier, requests, tokens by kind, cost, errors. */
    static Map<String, Object> usage(UsageSummary s) {
        Json json = Json.object().put("date", s.date().toString());
        json.opt("model", s.model()).opt("service_tier", s.serviceTier());
        json.put("requests", s.requests()).put("input_tokens", s.tokens().inputTokens())
                .nonZero("cached_tokens", s.tokens().cachedInputTokens())
                .put("output_tokens", s.tokens().outputTokens()).put("total_tokens", s.tokens().totalTokens())
                .put("total_cost", s.cost()).put("errors", s.errors()).nonZero("unpriced", s.unpriced());
        return json.build();
    }

    static Map<String, Object> today(TodayUsage t) {
        return Json.object().put("today", usage(t.today())).put("by_account", usageMap(t.byAccount()))
                .put("by_key", usageMap(t.byKey())).build();
    }

    private static Map<String, Object> usageMap(Map<String, UsageSummary> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.put(e.getKey(), usage(e.getValue())));
        return out;
    }

    static Map<String, Object> cost(CostReport r) {
        return Json.object().put("today", usage(r.today())).put("real_cost", r.realCost())
                .put("equivalent_cost", r.equivalentCost())
                .put("by_account", r.byAccount().stream().map(AdminViews::costRow).toList())
                .put("by_key", r.byKey().stream().map(AdminViews::costRow).toList()).build();
    }

    private static Map<String, Object> costRow(CostReport.Row row) {
        UsageSummary t = row.total();
        Json json = Json.object().put("id", row.id()).put("total_cost", t.cost()).put("requests", t.requests())
                .put("input_tokens", t.tokens().inputTokens()).put("output_tokens", t.tokens().outputTokens())
                .nonZero("unpriced", t.unpriced());
        if (!row.byModel().isEmpty()) {
            json.put("by_model", row.byModel().stream().map(AdminViews::usage).toList());
        }
        return json.build();
    }

    static Map<String, Object> stats(StatsRow r) {
        return Json.object().put("group", r.group()).put("requests", r.requests()).put("errors", r.errors())
                .put("input_tokens", r.tokens().inputTokens()).put("cached_tokens", r.tokens().cachedInputTokens())
                .put("cache_creation_tokens", r.tokens().cacheCreationTokens())
                .put("output_tokens", r.tokens().outputTokens()).put("reasoning_tokens", r.tokens().reasoningTokens())
                .put("total_tokens", r.tokens().totalTokens()).put("cost", r.costUsd())
                .put("latency_p50_ms", r.latencyP50().toMillis()).put("latency_p95_ms", r.latencyP95().toMillis())
                .nonZero("ttfb_p50_ms", r.ttfbP50().toMillis()).nonZero("ttfb_p95_ms", r.ttfbP95().toMillis())
                .build();
    }

    static Map<String, Object> point(SeriesPoint p) {
        return Json.object().put("t", p.bucketStart().getEpochSecond()).put("series", p.series())
                .put("requests", p.requests()).put("errors", p.errors())
                .put("input_tokens", p.tokens().inputTokens()).put("output_tokens", p.tokens().outputTokens())
                .put("total_tokens", p.tokens().totalTokens()).put("cost", p.costUsd()).build();
    }

    static Map<String, Object> request(RequestRecord r) {
        return Json.object().put("id", r.requestId()).put("started_at", r.startedAt()).put("route", r.route())
                .put("provider", r.provider()).opt("credential", r.credential().map(Object::toString))
                .put("model", r.model()).opt("service_tier", r.serviceTier()).put("status", r.status())
                .put("success", r.success())
                .put("input_tokens", r.tokens().inputTokens()).put("cached_tokens", r.tokens().cachedInputTokens())
                .put("cache_creation_tokens", r.tokens().cacheCreationTokens())
                .put("output_tokens", r.tokens().outputTokens()).put("reasoning_tokens", r.tokens().reasoningTokens())
                .opt("cost", r.costUsd()).put("latency_ms", r.latency().toMillis())
                .opt("ttfb_ms", r.timeToFirstByte().map(Duration::toMillis)).opt("error_class", r.errorClass())
                .opt("error", r.errorText()).opt("response_id", r.responseId()).flag("incomplete", r.incomplete())
                .optValue("routing_note", r.routingNote()).put("client_key", r.clientKey())
                .opt("translation", r.translation()).build();
    }

    static Map<String, Object> explanation(RoutingExplanation e) {
        List<Map<String, Object>> entries = e.entries().stream().map(x -> Json.object()
                .put("id", x.id().value()).put("label", x.label())
                .optValue("kind", x.kind() == null ? null : x.kind().provider())
                .put("verdict", x.verdict().name().toLowerCase(java.util.Locale.ROOT))
                .opt("rank", x.rank())
                .opt("score", x.score().isPresent() ? Optional.of(x.score().getAsDouble()) : Optional.empty())
                .put("why", x.why()).build()).toList();
        return Json.object().put("api", e.api().name().toLowerCase(java.util.Locale.ROOT)).put("model", e.model())
                .opt("session", e.session()).put("pinned", e.pinned())
                .opt("picked", e.pick().map(p -> p.id().value())).put("entries", entries)
                .opt("translation", e.translation()).build();
    }
}
