package io.proxygate.application.http;

import io.proxygate.domain.credential.Api;

/** An inbound endpoint that ProxyGate relays, and the API family that serves it. */
public enum Route {
    RESPONSES(Api.RESPONSES, "/v1/responses"),
    RESPONSES_COMPACT(Api.RESPONSES, "/v1/responses/compact"),
    MESSAGES(Api.MESSAGES, "/v1/messages"),
    MESSAGES_COUNT_TOKENS(Api.MESSAGES, "/v1/messages/count_tokens"),
    CHAT_COMPLETIONS(Api.CHAT_COMPLETIONS, "/v1/chat/completions"),
    MODELS(Api.RESPONSES, "/v1/models"),
    /** ChatGPT web/backend paths relayed as they are with a pooled ChatGPT account (Codex's own extra calls). */
    PASSTHROUGH(Api.RESPONSES, "/backend-api");

    private final Api api;
    private final String path;

    Route(Api api, String path) {
        this.api = api;
        this.path = path;
    }

    public Api api() {
        return api;
    }

    /** The canonical inbound path, used in logs and the request log. */
    public String path() {
        return path;
    }
}
