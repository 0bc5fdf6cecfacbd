package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.usage.UsageReport;

/**
 * Watches one reply for the usage an API reports, from its SSE events or from its non-streamed JSON body, and keeps
 * a {@link UsageReport} of what it has seen so far. Fed by one thread; {@link #report()} may be read from any thread.
 */
public sealed interface UsageTracker permits TypedEventUsageTracker, ChatUsageTracker {

    static UsageTracker forApi(Api api) {
        return switch (api) {
            case RESPONSES -> new ResponsesUsageTracker();
            case MESSAGES -> new MessagesUsageTracker();
            case CHAT_COMPLETIONS -> new ChatUsageTracker();
        };
    }

    /** Whether events of this SSE type can carry anything the tracker needs (others need not be accumulated). */
    boolean wants(String eventType);

    void onEvent(SseEvent event);

    /**
     * A non-streamed reply's top-level fields ({@code id}, {@code model}, {@code service_tier}, {@code usage});
     * the body is final, so the report becomes complete.
     */
    void onBody(JsonNode topLevel);

    UsageReport report();
}
