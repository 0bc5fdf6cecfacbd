package io.proxygate.benchmarks;

import io.proxygate.adapter.out.upstream.translate.EventTranslator;
import io.proxygate.adapter.out.upstream.translate.MessagesToResponses;
import io.proxygate.adapter.out.upstream.translate.Untranslatable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What translation adds to a request served by the other API family (Anthropic Messages client, Responses upstream):
 * the request body, a non-streamed reply, and one streamed text event. {@code turns} sets the request's size: a short
 * exchange (about 2 KB), and a Claude Code session a few turns in (a long system prompt, a dozen tools with their
 * schemas, tool calls and results: about 40 KB). Target: at most 50 µs per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TranslationBenchmark extends StandardRun {
    @Param({"short", "claude-code"})
    public String size;

    private final MessagesToResponses codec = new MessagesToResponses();
    private byte[] request;
    private byte[] reply;
    private final String textDelta = "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,"
            + "\"content_index\":0,\"delta\":\"Hello, this is a token or two\"}";
    private EventTranslator stream;

    @Setup
    public void setUp() {
        boolean big = size.equals("claude-code");
        request = messagesRequest(big ? 12 : 1, big ? 6 : 1, big ? 12_000 : 400).getBytes(StandardCharsets.UTF_8);
        reply = responsesReply().getBytes(StandardCharsets.UTF_8);
        stream = codec.stream("claude-sonnet-4-5");
        stream.event("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\"}}", b -> { });
    }

    @Benchmark
    public byte[] request() throws Untranslatable {
        return codec.request(request, "gpt-5-codex");
    }

    @Benchmark
    public byte[] reply() {
        return codec.reply(reply, "claude-sonnet-4-5");
    }

    /** One text delta of a stream: what each streamed event costs on top of the relay. */
    @Benchmark
    public void streamEvent(Blackhole bh) {
        stream.event("response.output_text.delta", textDelta, bh::consume);
    }

    static String messagesRequest(int tools, int turns, int systemChars) {
        StringBuilder sb = new StringBuilder("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,\"stream\":true,");
        sb.append("\"system\":[{\"type\":\"text\",\"text\":\"").append("You are a coding agent. ".repeat(systemChars / 24))
                .append("\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"tools\":[");
        for (int i = 0; i < tools; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"name\":\"Tool").append(i).append("\",\"description\":\"")
                    .append("Does a useful thing with files. ".repeat(12)).append("\",\"input_schema\":{\"type\":\"object\","
                            + "\"properties\":{\"file_path\":{\"type\":\"string\",\"description\":\"absolute path\"},"
                            + "\"limit\":{\"type\":\"number\"}},\"required\":[\"file_path\"]}}");
        }
        sb.append("],\"messages\":[");
        for (int i = 0; i < turns; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":[");
            if (i > 0) {
                sb.append("{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_").append(i - 1)
                        .append("\",\"content\":[{\"type\":\"text\",\"text\":\"").append("line of file\\n".repeat(40))
                        .append("\"}]},");
            }
            sb.append("{\"type\":\"text\",\"text\":\"Please look at the code and fix the bug.\"}]},")
                    .append("{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Reading it.\"},")
                    .append("{\"type\":\"tool_use\",\"id\":\"toolu_").append(i)
                    .append("\",\"name\":\"Tool0\",\"input\":{\"file_path\":\"/src/Main.java\"}}]}");
        }
        sb.append(",{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_")
                .append(turns - 1).append("\",\"content\":\"ok\"}]}]}");
        return sb.toString();
    }

    static String responsesReply() {
        return "{\"id\":\"resp_1\",\"object\":\"response\",\"model\":\"gpt-5-codex\",\"status\":\"completed\",\"output\":["
                + "{\"type\":\"message\",\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
                + "\"text\":\"" + "Here is the fix. ".repeat(30) + "\",\"annotations\":[]}]},"
                + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"Edit\",\"arguments\":"
                + "\"{\\\"file_path\\\":\\\"/src/Main.java\\\",\\\"old\\\":\\\"a\\\",\\\"new\\\":\\\"b\\\"}\"}],"
                + "\"usage\":{\"input_tokens\":12000,\"input_tokens_details\":{\"cached_tokens\":11000},"
                + "\"output_tokens\":300,\"output_tokens_details\":{\"reasoning_tokens\":100},\"total_tokens\":12300}}";
    }
}
