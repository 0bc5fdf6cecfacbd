package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.domain.usage.StreamFailure;
import io.proxygate.domain.usage.UsageReport;

import java.util.Set;

/**
 * Usage of the OpenAI Responses API (ChatGPT backend and OpenAI keys): id and model from {@code response.created},
 * tokens from the terminal {@code response.completed} / {@code response.incomplete} / {@code response.failed}, and
 * the error of a {@code response.failed}.
 */
public final class ResponsesUsageTracker extends TypedEventUsageTracker {
    private static final Set<String> TERMINAL = Set.of(
            "response.completed", "response.incomplete", "response.failed", "response.done");

    public ResponsesUsageTracker() {
        super(Set.of("response.created", "response.in_progress", "response.completed", "response.incomplete",
                "response.failed", "response.done", SseEvent.DEFAULT_TYPE));
    }

    @Override
    void onTypedEvent(String type, JsonNode node) {
        JsonNode response = node.path("response");
        if (TERMINAL.contains(type)) {
            apply(response, true);
            if (type.equals("response.failed")) {
                failed(response.path("error"));
            }
        } else if (type.equals("response.created") || type.equals("response.in_progress")) {
            apply(response, false);
        }
    }

    @Override
    public void onBody(JsonNode topLevel) {
        apply(topLevel, true);
    }

    private void apply(JsonNode response, boolean terminal) {
        UsageReport old = report;
        report = new UsageReport(
                UsageJson.openAiUsage(response, "input_tokens", "output_tokens").orElse(old.tokens()),
                UsageJson.text(response, "id").or(old::responseId),
                UsageJson.text(response, "model").or(old::model),
                UsageJson.text(response, "service_tier").or(old::serviceTier),
                old.complete() || terminal, old.failure());
    }

    /**
     * A {@code response.failed}: the stream began with a success status, so the failure only shows here. An
     * {@code incomplete} response is not one: it ended early for a reason the client asked for (max tokens,
     * content filter) and still carries its output.
     */
    private void failed(JsonNode error) {
        String code = UsageJson.text(error, "code").or(() -> UsageJson.text(error, "type")).orElse("response_failed");
        String message = UsageJson.text(error, "message").orElse("");
        report = report.withFailure(new StreamFailure(code, message, FailureCodes.responsesStatus(code)));
    }
}
