package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.domain.usage.StreamFailure;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageReport;

import java.util.Optional;
import java.util.Set;

/**
 * Usage of the Anthropic Messages API. {@code message_start} brings the input side (uncached input, cache reads,
 * cache writes) and an initial output count; {@code message_delta} brings the cumulative output count (and, on newer
 * API versions, cumulative input counts, which win when non-zero). Cache writes are kept: dropping them would
 * under-bill. The one-hour share of the cache writes ({@code cache_creation.ephemeral_1h_input_tokens}) is
 * kept too, since it is billed at a higher rate than the five-minute writes.
 */
public final class MessagesUsageTracker implements UsageTracker {
    private static final Set<String> WANTED = Set.of("message_start", "message_delta", "error", SseEvent.DEFAULT_TYPE);

    private volatile UsageReport report = UsageReport.EMPTY;

    @Override
    public boolean wants(String eventType) {
        return WANTED.contains(eventType);
    }

    @Override
    public void onEvent(SseEvent event) {
        Optional<JsonNode> parsed = UsageJson.parse(event.data());
        if (parsed.isEmpty()) {
            return;
        }
        JsonNode node = parsed.get();
        switch (event.typeIn(node)) {
            case "message_start" -> start(node.path("message"));
            case "message_delta" -> delta(node.path("usage"));
            case "error" -> failed(node.path("error"));
            default -> { }
        }
    }

    @Override
    public void onBody(JsonNode message) {
        start(message);
        report = withComplete(report);
    }

    @Override
    public UsageReport report() {
        return report;
    }

    private void start(JsonNode message) {
        UsageReport old = report;
        JsonNode usage = message.path("usage");
        TokenUsage tokens = UsageJson.has(message, "usage")
                ? new TokenUsage(
                        UsageJson.count(usage, "input_tokens"),
                        UsageJson.count(usage, "cache_read_input_tokens"),
                        UsageJson.count(usage, "cache_creation_input_tokens"),
                        UsageJson.count(usage, "output_tokens"),
                        0,
                        UsageJson.count(usage, "cache_creation", "ephemeral_1h_input_tokens"))
                : old.tokens();
        report = new UsageReport(tokens,
                UsageJson.text(message, "id").or(old::responseId),
                UsageJson.text(message, "model").or(old::model),
                UsageJson.text(usage, "service_tier").or(old::serviceTier),
                old.complete(), old.failure());
    }

    /** An {@code event: error} after the stream began with a 200 (an overload or rate limit mid-answer). */
    private void failed(JsonNode error) {
        String type = UsageJson.text(error, "type").orElse("error");
        String message = UsageJson.text(error, "message").orElse("");
        report = report.withFailure(new StreamFailure(type, message, FailureCodes.messagesStatus(type)));
    }

    private void delta(JsonNode usage) {
        if (usage.isMissingNode() || usage.isNull()) {
            return;
        }
        UsageReport old = report;
        TokenUsage t = old.tokens();
        long input = positiveOr(UsageJson.count(usage, "input_tokens"), t.inputTokens());
        long cacheRead = positiveOr(UsageJson.count(usage, "cache_read_input_tokens"), t.cachedInputTokens());
        long cacheWrite = positiveOr(UsageJson.count(usage, "cache_creation_input_tokens"), t.cacheCreationTokens());
        long cacheWrite1h = positiveOr(UsageJson.count(usage, "cache_creation", "ephemeral_1h_input_tokens"),
                t.cacheCreation1hTokens());
        long output = UsageJson.has(usage, "output_tokens") ? UsageJson.count(usage, "output_tokens") : t.outputTokens();
        report = new UsageReport(new TokenUsage(input, cacheRead, cacheWrite, output, 0, cacheWrite1h),
                old.responseId(), old.model(), old.serviceTier(), true, old.failure());
    }

    private static long positiveOr(long candidate, long fallback) {
        return candidate > 0 ? candidate : fallback;
    }

    private static UsageReport withComplete(UsageReport r) {
        return new UsageReport(r.tokens(), r.responseId(), r.model(), r.serviceTier(), true, r.failure());
    }
}
