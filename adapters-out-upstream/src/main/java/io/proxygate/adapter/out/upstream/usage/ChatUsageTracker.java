package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageReport;

import java.util.Optional;

/**
 * Usage of OpenAI Chat Completions: id and model from the chunks, tokens from the last chunk's {@code usage} (sent
 * when the request asked for {@code stream_options.include_usage}) or from the non-streamed body.
 */
public final class ChatUsageTracker implements UsageTracker {
    private volatile UsageReport report = UsageReport.EMPTY;

    @Override
    public boolean wants(String eventType) {
        return true;
    }

    @Override
    public void onEvent(SseEvent event) {
        String data = event.data();
        if (data.equals("[DONE]")) {
            return;
        }
        // Only the first chunk (identity) and the usage chunk matter: skip parsing the deltas in between.
        if (report.responseId().isPresent() && !data.contains("\"usage\"")) {
            return;
        }
        Optional<JsonNode> parsed = UsageJson.parse(data);
        parsed.ifPresent(node -> apply(node, false));
    }

    @Override
    public void onBody(JsonNode topLevel) {
        apply(topLevel, true);
    }

    @Override
    public UsageReport report() {
        return report;
    }

    private void apply(JsonNode node, boolean finalBody) {
        UsageReport old = report;
        Optional<TokenUsage> reported = UsageJson.openAiUsage(node, "prompt_tokens", "completion_tokens");
        report = new UsageReport(reported.orElse(old.tokens()),
                old.responseId().or(() -> UsageJson.text(node, "id")),
                old.model().or(() -> UsageJson.text(node, "model")),
                old.serviceTier().or(() -> UsageJson.text(node, "service_tier")),
                old.complete() || reported.isPresent() || finalBody);
    }
}
