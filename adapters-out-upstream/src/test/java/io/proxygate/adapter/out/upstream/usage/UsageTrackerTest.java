package io.proxygate.adapter.out.upstream.usage;

import io.proxygate.adapter.out.upstream.sse.SseEvent;
import io.proxygate.adapter.out.upstream.sse.SseScanner;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageReport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class UsageTrackerTest {

    /** Feeds a whole SSE stream through a scanner, in 7-byte pieces, as the call does. */
    private static UsageReport scan(Api api, String stream) {
        UsageTracker tracker = UsageTracker.forApi(api);
        SseScanner scanner = new SseScanner(SseScanner.DEFAULT_MAX_EVENT_BYTES, tracker::wants);
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) {
            scanner.feed(ByteBuffer.wrap(bytes, i, Math.min(7, bytes.length - i)).slice(), tracker::onEvent);
        }
        scanner.finish(tracker::onEvent);
        return tracker.report();
    }

    /** Feeds a JSON body in 5-byte pieces through the incremental capture. */
    private static UsageReport body(Api api, String json) {
        UsageTracker tracker = UsageTracker.forApi(api);
        TopLevelJsonCapture capture = new TopLevelJsonCapture();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 5) {
            capture.feed(ByteBuffer.wrap(bytes, i, Math.min(5, bytes.length - i)).slice());
        }
        capture.finish().ifPresent(tracker::onBody);
        return tracker.report();
    }

    @Test
    void responsesStreamReportsUsageFromCompletedIncludingCachedAndReasoning() {
        UsageReport report = scan(Api.RESPONSES, """
                event: response.created
                data: {"type":"response.created","response":{"id":"resp_1","model":"gpt-5.5","usage":null}}

                event: response.output_text.delta
                data: {"type":"response.output_text.delta","delta":"Hi"}

                event: response.completed
                data: {"type":"response.completed","response":{"id":"resp_1","model":"gpt-5.5-2026","service_tier":"priority","usage":{"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024},"output_tokens":300,"output_tokens_details":{"reasoning_tokens":200},"total_tokens":1500}}}

                """);

        assertThat(report.tokens()).isEqualTo(new TokenUsage(1200, 1024, 0, 300, 200));
        assertThat(report.responseId()).contains("resp_1");
        assertThat(report.model()).contains("gpt-5.5-2026");
        assertThat(report.serviceTier()).contains("priority");
        assertThat(report.complete()).isTrue();
    }

    @Test
    void responsesStreamWithoutTerminalEventIsIncompleteButKeepsIdentity() {
        UsageReport report = scan(Api.RESPONSES, """
                event: response.created
                data: {"type":"response.created","response":{"id":"resp_2","model":"gpt-5.5"}}

                event: response.output_text.delta
                data: {"type":"response.output_text.delta","delta":"Hi"}

                """);

        assertThat(report.complete()).isFalse();
        assertThat(report.responseId()).contains("resp_2");
        assertThat(report.tokens()).isEqualTo(TokenUsage.NONE);
    }

    @Test
    void responsesIncompleteAndDataOnlyStreamsCountToo() {
        UsageReport incomplete = scan(Api.RESPONSES, """
                event: response.incomplete
                data: {"type":"response.incomplete","response":{"id":"r","usage":{"input_tokens":10,"output_tokens":5}}}

                """);
        UsageReport dataOnly = scan(Api.RESPONSES, """
                data: {"type":"response.completed","response":{"id":"r","usage":{"input_tokens":7,"output_tokens":3}}}

                """);

        assertThat(incomplete.tokens()).isEqualTo(new TokenUsage(10, 0, 0, 5, 0));
        assertThat(incomplete.complete()).isTrue();
        assertThat(dataOnly.tokens()).isEqualTo(new TokenUsage(7, 0, 0, 3, 0));
    }

    @Test
    void messagesStreamSplitsInputCacheReadsCacheWritesAndCumulativeOutput() {
        UsageReport report = scan(Api.MESSAGES, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","model":"claude-opus-4-7","usage":{"input_tokens":12,"cache_creation_input_tokens":2048,"cache_read_input_tokens":30000,"output_tokens":1}}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

                event: ping
                data: {"type":"ping"}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}

                event: message_delta
                data: {"type":"message_delta","delta":{},"usage":{"output_tokens":42}}

                event: message_stop
                data: {"type":"message_stop"}

                """);

        assertThat(report.tokens()).isEqualTo(new TokenUsage(12, 30000, 2048, 42, 0));
        assertThat(report.responseId()).contains("msg_1");
        assertThat(report.model()).contains("claude-opus-4-7");
        assertThat(report.complete()).isTrue();
    }

    @Test
    void messagesDeltaWithCumulativeInputCountsWins() {
        UsageReport report = scan(Api.MESSAGES, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_2","usage":{"input_tokens":0,"output_tokens":0}}}

                event: message_delta
                data: {"type":"message_delta","usage":{"input_tokens":99,"cache_read_input_tokens":5,"output_tokens":8}}

                """);

        assertThat(report.tokens()).isEqualTo(new TokenUsage(99, 5, 0, 8, 0));
    }

    @Test
    void messagesStreamCutBeforeMessageDeltaIsIncomplete() {
        UsageReport report = scan(Api.MESSAGES, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_3","usage":{"input_tokens":5,"output_tokens":1}}}

                """);

        assertThat(report.complete()).isFalse();
        assertThat(report.tokens().inputTokens()).isEqualTo(5);
    }

    @Test
    void chatStreamTakesIdentityFromChunksAndTokensFromTheUsageChunk() {
        UsageReport report = scan(Api.CHAT_COMPLETIONS, """
                data: {"id":"chatcmpl-1","model":"gpt-4.1","service_tier":"default","choices":[{"delta":{"content":"Hi"}}],"usage":null}

                data: {"id":"chatcmpl-1","model":"gpt-4.1","choices":[{"delta":{"content":"!"}}],"usage":null}

                data: {"id":"chatcmpl-1","model":"gpt-4.1","choices":[],"usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70,"prompt_tokens_details":{"cached_tokens":32},"completion_tokens_details":{"reasoning_tokens":4}}}

                data: [DONE]

                """);

        assertThat(report.tokens()).isEqualTo(new TokenUsage(50, 32, 0, 20, 4));
        assertThat(report.responseId()).contains("chatcmpl-1");
        assertThat(report.model()).contains("gpt-4.1");
        assertThat(report.serviceTier()).contains("default");
        assertThat(report.complete()).isTrue();
    }

    @Test
    void chatStreamWithoutUsageChunkIsIncomplete() {
        UsageReport report = scan(Api.CHAT_COMPLETIONS, """
                data: {"id":"chatcmpl-2","model":"gpt-4.1","choices":[{"delta":{"content":"Hi"}}]}

                data: [DONE]

                """);

        assertThat(report.complete()).isFalse();
        assertThat(report.responseId()).contains("chatcmpl-2");
    }

    @Test
    void messagesKeepTheOneHourShareOfCacheWritesFromStreamAndBody() {
        UsageReport streamed = scan(Api.MESSAGES, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_2","model":"claude-opus-4-6","usage":{"input_tokens":5,"cache_creation_input_tokens":3000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},"output_tokens":1}}}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}

                """);
        assertThat(streamed.tokens()).isEqualTo(new TokenUsage(5, 0, 3000, 7, 0, 2000));

        // newer API versions repeat the cumulative input side, including cache_creation, in message_delta
        UsageReport cumulative = scan(Api.MESSAGES, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_3","usage":{"input_tokens":5,"output_tokens":1}}}

                event: message_delta
                data: {"type":"message_delta","usage":{"input_tokens":5,"cache_creation_input_tokens":400,"cache_creation":{"ephemeral_1h_input_tokens":400},"output_tokens":3}}

                """);
        assertThat(cumulative.tokens()).isEqualTo(new TokenUsage(5, 0, 400, 3, 0, 400));

        UsageReport body = body(Api.MESSAGES, """
                {"id":"msg_4","type":"message","content":[],"model":"claude-opus-4-6",
                 "usage":{"input_tokens":1,"cache_creation_input_tokens":50,"cache_creation":{"ephemeral_5m_input_tokens":20,"ephemeral_1h_input_tokens":30},"output_tokens":2}}""");
        assertThat(body.tokens()).isEqualTo(new TokenUsage(1, 0, 50, 2, 0, 30));
    }

    @Test
    void nonStreamedBodiesOfEachApiAreRead() {
        UsageReport responses = body(Api.RESPONSES, """
                {"id":"resp_9","object":"response","output":[{"type":"message","content":[{"text":"a \\"usage\\" word"}]}],
                 "model":"gpt-5.5","usage":{"input_tokens":100,"input_tokens_details":{"cached_tokens":64},
                 "output_tokens":20,"output_tokens_details":{"reasoning_tokens":8}},"service_tier":"default"}""");
        UsageReport messages = body(Api.MESSAGES, """
                {"id":"msg_9","type":"message","content":[{"type":"text","text":"{\\"usage\\":1}"}],"model":"claude-sonnet-4-6",
                 "usage":{"input_tokens":3,"cache_creation_input_tokens":10,"cache_read_input_tokens":200,"output_tokens":9}}""");
        UsageReport chat = body(Api.CHAT_COMPLETIONS, """
                {"id":"chatcmpl-9","model":"gpt-4.1","choices":[{"message":{"content":"x"}}],
                 "usage":{"prompt_tokens":11,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":0}}}""");

        assertThat(responses.tokens()).isEqualTo(new TokenUsage(100, 64, 0, 20, 8));
        assertThat(responses.responseId()).contains("resp_9");
        assertThat(responses.serviceTier()).contains("default");
        assertThat(responses.complete()).isTrue();
        assertThat(messages.tokens()).isEqualTo(new TokenUsage(3, 200, 10, 9, 0));
        assertThat(messages.model()).contains("claude-sonnet-4-6");
        assertThat(messages.complete()).isTrue();
        assertThat(chat.tokens()).isEqualTo(new TokenUsage(11, 0, 0, 2, 0));
        assertThat(chat.responseId()).contains("chatcmpl-9");
    }

    @Test
    void aBodyThatIsNotJsonYieldsNoUsage() {
        assertThat(body(Api.RESPONSES, "<html>bad gateway</html>")).isEqualTo(UsageReport.EMPTY);
        assertThat(body(Api.RESPONSES, "{\"usage\":{\"input_tokens\":1}")).isEqualTo(UsageReport.EMPTY);
    }

    @Test
    void malformedEventsAreIgnored() {
        UsageTracker tracker = UsageTracker.forApi(Api.RESPONSES);
        tracker.onEvent(new SseEvent("response.completed", "{not json"));

        assertThat(tracker.report()).isEqualTo(UsageReport.EMPTY);
    }

    @Test
    void responsesFailedEventIsReportedAsAStreamFailureWithItsCodeMessageAndStatus() {
        UsageReport report = scan(Api.RESPONSES, """
                event: response.created
                data: {"type":"response.created","response":{"id":"resp_9","model":"gpt-5.5","usage":null}}

                event: response.failed
                data: {"type":"response.failed","response":{"id":"resp_9","status":"failed","error":{"code":"rate_limit_exceeded","message":"Rate limit reached. Please try again in 20s."},"usage":null}}

                """);

        assertThat(report.complete()).isTrue();
        assertThat(report.responseId()).contains("resp_9");
        assertThat(report.failure()).hasValueSatisfying(f -> {
            assertThat(f.code()).isEqualTo("rate_limit_exceeded");
            assertThat(f.message()).isEqualTo("Rate limit reached. Please try again in 20s.");
            assertThat(f.rateLimited()).isTrue();
        });
    }

    @Test
    void responsesFailedWithAServerCodeIsServerSideAndACompletedOrIncompleteStreamIsNoFailure() {
        UsageReport failed = scan(Api.RESPONSES, """
                event: response.failed
                data: {"type":"response.failed","response":{"id":"resp_9","error":{"code":"server_error","message":"boom"}}}

                """);
        assertThat(failed.failure()).hasValueSatisfying(f -> {
            assertThat(f.status()).isEqualTo(500);
            assertThat(f.serverSide()).isTrue();
        });

        UsageReport incomplete = scan(Api.RESPONSES, """
                event: response.incomplete
                data: {"type":"response.incomplete","response":{"id":"resp_9","incomplete_details":{"reason":"max_output_tokens"}}}

                """);
        assertThat(incomplete.complete()).isTrue();
        assertThat(incomplete.failure()).isEmpty();
    }

    @Test
    void messagesErrorEventIsReportedAsAStreamFailureKeepingTheUsageSeenBefore() {
        UsageReport report = scan(Api.MESSAGES, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5","usage":{"input_tokens":12,"output_tokens":1}}}

                event: error
                data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

                """);

        assertThat(report.tokens().inputTokens()).isEqualTo(12);
        assertThat(report.responseId()).contains("msg_1");
        assertThat(report.failure()).hasValueSatisfying(f -> {
            assertThat(f.code()).isEqualTo("overloaded_error");
            assertThat(f.message()).isEqualTo("Overloaded");
            assertThat(f.status()).isEqualTo(529);
        });

        UsageReport limited = scan(Api.MESSAGES, """
                event: error
                data: {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}

                """);
        assertThat(limited.failure()).hasValueSatisfying(f -> assertThat(f.rateLimited()).isTrue());
    }

    @Test
    void aLongFailureMessageIsBounded() {
        String longMessage = "x".repeat(5000);
        UsageReport report = scan(Api.MESSAGES, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\""
                + longMessage + "\"}}\n\n");
        assertThat(report.failure()).hasValueSatisfying(f ->
                assertThat(f.message().length()).isLessThanOrEqualTo(io.proxygate.domain.usage.StreamFailure.MAX_MESSAGE_CHARS + 3));
    }
}
