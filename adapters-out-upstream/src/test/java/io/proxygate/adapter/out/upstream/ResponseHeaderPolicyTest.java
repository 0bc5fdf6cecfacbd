package io.proxygate.adapter.out.upstream;

import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseHeaderPolicyTest {
    private static final Headers UPSTREAM = Headers.of(
            "Content-Type", "text/event-stream; charset=utf-8",
            "Content-Length", "123",
            "Connection", "keep-alive",
            "openai-model", "gpt-5.5",
            "x-codex-primary-used-percent", "12",
            "x-ratelimit-remaining-tokens", "1000",
            "request-id", "req_1",
            "x-request-id", "req_2",
            "anthropic-ratelimit-unified-status", "allowed",
            "Set-Cookie", "session=secret",
            "Authorization", "Bearer leaked",
            "Cache-Control", "private");

    @Test
    void responsesGetTheAllowListAndExactSseHeaders() {
        Headers h = ResponseHeaderPolicy.clientHeaders(Route.RESPONSES, UPSTREAM, true, false);

        assertThat(h.fields()).extracting(e -> e.getKey().toLowerCase() + "=" + e.getValue()).containsExactly(
                "openai-model=gpt-5.5", "x-ratelimit-remaining-tokens=1000",
                "content-type=text/event-stream", "cache-control=no-cache", "x-accel-buffering=no");
    }

    @Test
    void messagesGetEverythingButHopByHopCredentialsFramingAndCookies() {
        Headers h = ResponseHeaderPolicy.clientHeaders(Route.MESSAGES, UPSTREAM, false, false);

        assertThat(h.first("content-type")).contains("text/event-stream; charset=utf-8");
        assertThat(h.first("request-id")).contains("req_1");
        assertThat(h.first("anthropic-ratelimit-unified-status")).contains("allowed");
        assertThat(h.first("cache-control")).contains("private");
        assertThat(h.all("content-length")).isEmpty();
        assertThat(h.all("connection")).isEmpty();
        assertThat(h.all("set-cookie")).isEmpty();
        assertThat(h.all("authorization")).isEmpty();
    }

    @Test
    void chatGetsContentTypeAndRequestIdOnly() {
        Headers h = ResponseHeaderPolicy.clientHeaders(Route.CHAT_COMPLETIONS, UPSTREAM, false, false);

        assertThat(h.fields()).extracting(e -> e.getKey().toLowerCase()).containsExactly("content-type", "x-request-id");
    }

    @Test
    void anAssembledReplyIsJson() {
        Headers h = ResponseHeaderPolicy.clientHeaders(Route.RESPONSES, UPSTREAM, false, true);

        assertThat(h.all("content-type")).containsExactly("application/json");
    }
}
