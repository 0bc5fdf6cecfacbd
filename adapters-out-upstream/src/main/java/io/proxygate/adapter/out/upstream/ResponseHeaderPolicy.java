package io.proxygate.adapter.out.upstream;

import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which upstream response headers a client may see, per route. Responses and models: a fixed allow-list (model,
 * rate-limit, retry and Codex turn headers: {@code RESPONSES_ALLOWED}) plus the content type. Messages: everything
 * except hop-by-hop, credentials, framing and cookies. Chat: content type and
 * request id. The content type always describes what the client will actually receive. Upstreams are asked for
 * {@code identity}; should one encode anyway, its {@code Content-Encoding} is passed on with the untouched bytes.
 */
final class ResponseHeaderPolicy {
    private static final Set<String> RESPONSES_ALLOWED = Set.of(
            "content-type", "content-encoding", "openai-model", "x-openai-model", "x-models-etag", "x-reasoning-included",
            "x-codex-turn-state", "retry-after", "x-ratelimit-reset",
            "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens",
            "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens");
    private static final Set<String> CHAT_ALLOWED = Set.of("content-type", "content-encoding", "x-request-id");
    private static final Set<String> MESSAGES_DROPPED = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
            "transfer-encoding", "upgrade", "authorization", "x-api-key",
            // The relay decides framing itself, and a pooled account's cookies are nobody else's business.
            "content-length", "set-cookie", "set-cookie2");
    private static final Set<String> SSE_REPLACED = Set.of("content-type", "cache-control", "x-accel-buffering");

    private ResponseHeaderPolicy() {
    }

    /**
     * @param eventStream the client receives SSE (exact SSE headers are set)
     * @param jsonBody    the client receives JSON assembled by the adapter
     */
    static Headers clientHeaders(Route route, Headers upstream, boolean eventStream, boolean jsonBody) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> field : upstream.fields()) {
            String name = Headers.normalise(field.getKey());
            if (field.getValue() == null || !allowed(route, name)) {
                continue;
            }
            // An assembled reply is plain JSON made here, whatever the upstream's encoding was.
            if ((eventStream && SSE_REPLACED.contains(name))
                    || (jsonBody && (name.equals("content-type") || name.equals("content-encoding")))) {
                continue;
            }
            out.add(Map.entry(field.getKey(), field.getValue()));
        }
        if (eventStream) {
            out.add(Map.entry("Content-Type", "text/event-stream"));
            out.add(Map.entry("Cache-Control", "no-cache"));
            out.add(Map.entry("X-Accel-Buffering", "no"));
        } else if (jsonBody) {
            out.add(Map.entry("Content-Type", "application/json"));
        }
        return new Headers(out);
    }

    private static boolean allowed(Route route, String name) {
        return switch (route) {
            case RESPONSES, RESPONSES_COMPACT, MODELS -> RESPONSES_ALLOWED.contains(name);
            case MESSAGES, MESSAGES_COUNT_TOKENS, PASSTHROUGH -> !MESSAGES_DROPPED.contains(name);
            case CHAT_COMPLETIONS -> CHAT_ALLOWED.contains(name);
        };
    }
}
