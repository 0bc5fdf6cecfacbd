package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.testsupport.MockUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;

import static io.proxygate.adapter.out.upstream.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

/** Usage and rate-limit windows as the application sees them through the port. */
class UsageThroughAdapterTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private MockUpstream mock;
    private HttpUpstreamAdapter adapter;

    @BeforeEach
    void start() throws IOException {
        mock = new MockUpstream();
        adapter = new HttpUpstreamAdapter(Fixtures.settingsFor(mock).build(), InstantSource.fixed(NOW));
    }

    @AfterEach
    void stop() {
        adapter.close();
        mock.close();
    }

    @Test
    void aClaudeStreamReportsSplitUsageAndUnifiedWindows() throws Exception {
        String sse = """
                event: message_start\r
                data: {"type":"message_start","message":{"id":"msg_1","model":"claude-opus-4-7","usage":{"input_tokens":12,"cache_creation_input_tokens":2048,"cache_read_input_tokens":30000,"output_tokens":1}}}\r
                \r
                event: message_delta\r
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":42}}\r
                \r
                event: message_stop\r
                data: {"type":"message_stop"}\r
                \r
                """;
        mock.reply("/v1/messages", 200, "text/event-stream", sse,
                "anthropic-ratelimit-unified-5h-utilization", "0.5",
                "anthropic-ratelimit-unified-5h-reset", "1795700000",
                "anthropic-ratelimit-unified-status", "allowed");

        try (UpstreamCall call = adapter.open(request(Route.MESSAGES, Fixtures.claude(), Headers.of("x-app", "cli"),
                "{\"stream\":true}", true))) {
            assertThat(call.usage().complete()).isFalse();
            Reading.Reply reply = Reading.readAll(call);

            assertThat(reply.body()).isEqualTo(sse);
            assertThat(call.usage().tokens()).isEqualTo(new TokenUsage(12, 30000, 2048, 42, 0));
            assertThat(call.usage().complete()).isTrue();
            UsageWindows windows = reply.head().windows().orElseThrow();
            assertThat(windows.fiveHour().orElseThrow().usedFraction()).isEqualTo(0.5);
            assertThat(windows.observedAt()).isEqualTo(NOW);
            assertThat(reply.head().clientHeaders().first("anthropic-ratelimit-unified-status")).contains("allowed");
        }
    }

    /** The connection's buffers are small (2 KiB): a longer header line and a larger event still arrive whole. */
    @Test
    void aHeaderAndAnEventLargerThanTheConnectionBufferArriveWholeAndCount() throws Exception {
        String longHeader = "r".repeat(6_000);
        String text = "x".repeat(40_000);
        String sse = "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\","
                + "\"model\":\"claude-opus-4-7\",\"usage\":{\"input_tokens\":7,\"output_tokens\":1}}}\r\n\r\n"
                + "event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\r\n\r\n"
                + "event: message_delta\r\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":9000}}\r\n\r\n";
        mock.reply("/v1/messages", 200, "text/event-stream", sse, "request-id", longHeader);

        try (UpstreamCall call = adapter.open(request(Route.MESSAGES, Fixtures.claude(), Headers.of("x-app", "cli"),
                "{\"stream\":true}", true))) {
            Reading.Reply reply = Reading.readAll(call);

            assertThat(reply.head().clientHeaders().first("request-id")).contains(longHeader);
            assertThat(reply.body()).isEqualTo(sse);
            assertThat(call.usage().tokens()).isEqualTo(new TokenUsage(7, 0, 0, 9000, 0));
        }
    }

    private static final String CHAT_CHUNKS = "data: {\"id\":\"chatcmpl-7\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"hi\"}}],\"usage\":null}\n\n"
            + "data: {\"id\":\"chatcmpl-7\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},"
            + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
    private static final String CHAT_USAGE = "data: {\"id\":\"chatcmpl-7\",\"model\":\"gpt-4o\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":4,\"total_tokens\":15}}\n\n";

    @Test
    void aStreamedChatRequestIsAskedForUsageWhichIsCountedButNotShownToAClientThatDidNotAsk() throws Exception {
        mock.reply("/v1/chat/completions", 200, "text/event-stream", CHAT_CHUNKS + CHAT_USAGE + "data: [DONE]\n\n");
        String body = "{\"model\":\"gpt-4o\", \"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        try (UpstreamCall call = adapter.open(request(Route.CHAT_COMPLETIONS, Fixtures.openaiKey(null),
                Headers.EMPTY, body, true))) {
            Reading.Reply reply = Reading.readAll(call);

            assertThat(reply.body()).isEqualTo(CHAT_CHUNKS + "data: [DONE]\n\n");
            assertThat(call.usage().tokens()).isEqualTo(new TokenUsage(11, 0, 0, 4, 0));
        }
        assertThat(new String(mock.requests("/v1/chat/completions").get(0).bytes(),
                java.nio.charset.StandardCharsets.UTF_8)).as("asked for, every other byte as sent")
                .isEqualTo("{\"stream_options\":{\"include_usage\":true}," + body.substring(1));
    }

    @Test
    void aClientThatAskedForTheUsageChunkGetsItAndItsBodyUnchanged() throws Exception {
        String stream = CHAT_CHUNKS + CHAT_USAGE + "data: [DONE]\n\n";
        mock.reply("/v1/chat/completions", 200, "text/event-stream", stream);
        String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[]}";

        try (UpstreamCall call = adapter.open(request(Route.CHAT_COMPLETIONS, Fixtures.openaiKey(null),
                Headers.EMPTY, body, true))) {
            assertThat(Reading.readAll(call).body()).isEqualTo(stream);
            assertThat(call.usage().tokens()).isEqualTo(new TokenUsage(11, 0, 0, 4, 0));
        }
        assertThat(new String(mock.requests("/v1/chat/completions").get(0).bytes(),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void aNonStreamedJsonBodyReportsUsage() throws Exception {
        mock.reply("/v1/chat/completions", 200, "application/json; charset=utf-8",
                "{\"id\":\"chatcmpl-5\",\"model\":\"gpt-4.1\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}", "x-request-id", "req_5");

        try (UpstreamCall call = adapter.open(request(Route.CHAT_COMPLETIONS, Fixtures.openaiKey(null),
                Headers.EMPTY, "{}", false))) {
            Reading.Reply reply = Reading.readAll(call);

            assertThat(reply.head().eventStream()).isFalse();
            assertThat(reply.head().clientHeaders().first("x-request-id")).contains("req_5");
            assertThat(call.usage().tokens()).isEqualTo(new TokenUsage(9, 0, 0, 3, 0));
            assertThat(call.usage().responseId()).contains("chatcmpl-5");
            assertThat(call.usage().complete()).isTrue();
        }
    }

    @Test
    void errorBodiesAreNotMistakenForUsage() throws Exception {
        mock.reply("/v1/responses", 400, "application/json",
                "{\"usage\":{\"input_tokens\":999},\"error\":{\"message\":\"bad\"}}");

        try (UpstreamCall call = adapter.open(request(Route.RESPONSES, Fixtures.openaiKey(null), Headers.EMPTY, "{}",
                false))) {
            Reading.readAll(call);

            assertThat(call.usage().tokens()).isEqualTo(TokenUsage.NONE);
        }
    }
}
