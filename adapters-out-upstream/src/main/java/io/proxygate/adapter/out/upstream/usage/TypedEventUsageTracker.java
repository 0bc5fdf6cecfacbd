package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.domain.usage.UsageReport;

import java.util.Set;

/**
 * A tracker for an API whose SSE events are JSON and typed (by the {@code event:} line or the JSON {@code type}):
 * only a known set of types can carry usage, and each parsed event reaches {@link #onTypedEvent} with
 * its type. An event that is not JSON is skipped.
 */
abstract sealed class TypedEventUsageTracker implements UsageTracker
        permits MessagesUsageTracker, ResponsesUsageTracker {
    private final Set<String> wantedTypes;

    /** Written by the one feeding thread, read by any. */
    volatile UsageReport report = UsageReport.EMPTY;

    TypedEventUsageTracker(Set<String> wantedTypes) {
        this.wantedTypes = wantedTypes;
    }

    @Override
    public final boolean wants(String eventType) {
        return wantedTypes.contains(eventType);
    }

    @Override
    public final void onEvent(SseEvent event) {
        UsageJson.parse(event.data()).ifPresent(node -> onTypedEvent(event.typeIn(node), node));
    }

    abstract void onTypedEvent(String type, JsonNode node);

    @Override
    public final UsageReport report() {
        return report;
    }
}
