package io.proxygate.benchmarks;

import io.proxygate.adapter.out.upstream.sse.SseScanner;
import io.proxygate.adapter.out.upstream.usage.UsageTracker;
import io.proxygate.domain.credential.Api;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The relay's per-byte work on a streamed reply: the SSE scanner alone, and the scanner with the API's usage tracker
 * (what {@code HttpUpstreamCall} runs on every chunk). One operation = one byte, so the score reads as bytes/s.
 * The stream is 1 MiB of realistic events (mostly text deltas, usage events at the start and end), fed in 16 KiB
 * chunks as the transport delivers them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SseScanBenchmark extends StandardRun {
    static final int STREAM_BYTES = 1 << 20;
    private static final int CHUNK = 16 * 1024;

    @Param({"RESPONSES", "MESSAGES", "CHAT_COMPLETIONS"})
    public Api api;

    private byte[] stream;

    @Setup
    public void setUp() {
        stream = Streams.of(api, STREAM_BYTES);
    }

    @Benchmark
    @OperationsPerInvocation(STREAM_BYTES)
    public long scanOnly(Blackhole bh) {
        SseScanner scanner = new SseScanner();
        long[] count = new long[1];
        for (int at = 0; at < stream.length; at += CHUNK) {
            scanner.feed(ByteBuffer.wrap(stream, at, Math.min(CHUNK, stream.length - at)), e -> {
                count[0]++;
                bh.consume(e);
            });
        }
        scanner.finish(bh::consume);
        return count[0];
    }

    @Benchmark
    @OperationsPerInvocation(STREAM_BYTES)
    public Object scanWithUsage() {
        UsageTracker usage = UsageTracker.forApi(api);
        SseScanner scanner = new SseScanner(SseScanner.DEFAULT_MAX_EVENT_BYTES, usage::wants);
        for (int at = 0; at < stream.length; at += CHUNK) {
            scanner.feed(ByteBuffer.wrap(stream, at, Math.min(CHUNK, stream.length - at)), usage::onEvent);
        }
        scanner.finish(usage::onEvent);
        return usage.report();
    }

    /** Realistic streams of each API, cut to an exact size. */
    static final class Streams {
        private Streams() {
        }

        static byte[] of(Api api, int size) {
            StringBuilder out = new StringBuilder(size + 4096);
            switch (api) {
                case RESPONSES -> out.append(event("response.created", "{\"type\":\"response.created\",\"response\":"
                        + "{\"id\":\"resp_1\",\"object\":\"response\",\"model\":\"gpt-5\",\"status\":\"in_progress\"}}"));
                case MESSAGES -> out.append(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":"
                        + "\"msg_1\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":1200,"
                        + "\"cache_read_input_tokens\":800,\"output_tokens\":1}}}"));
                default -> { }
            }
            String tail = switch (api) {
                case RESPONSES -> event("response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":"
                        + "\"resp_1\",\"model\":\"gpt-5\",\"status\":\"completed\",\"usage\":{\"input_tokens\":1200,"
                        + "\"input_tokens_details\":{\"cached_tokens\":800},\"output_tokens\":900,"
                        + "\"output_tokens_details\":{\"reasoning_tokens\":300},\"total_tokens\":2100}}}");
                case MESSAGES -> event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                        + "\"end_turn\"},\"usage\":{\"output_tokens\":900}}") + event("message_stop",
                        "{\"type\":\"message_stop\"}");
                case CHAT_COMPLETIONS -> event(null, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":"
                        + "\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":900}}")
                        + event(null, "[DONE]");
            };
            int i = 0;
            while (out.length() < size - tail.length()) {
                String text = "token " + i++ + " é ";
                out.append(switch (api) {
                    case RESPONSES -> event("response.output_text.delta", "{\"type\":\"response.output_text.delta\","
                            + "\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + text + "\"}");
                    case MESSAGES -> event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
                    case CHAT_COMPLETIONS -> event(null, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
                            + "\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text
                            + "\"},\"finish_reason\":null}]}");
                });
            }
            byte[] body = (out + tail).getBytes(StandardCharsets.UTF_8);
            // Exactly `size` bytes, usage events kept: drop deltas from the middle if the UTF-8 ran long.
            if (body.length > size) {
                byte[] head = new byte[size];
                byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(body, 0, head, 0, size - tailBytes.length);
                System.arraycopy(tailBytes, 0, head, size - tailBytes.length, tailBytes.length);
                return head;
            }
            byte[] padded = new byte[size];
            System.arraycopy(body, 0, padded, 0, body.length);
            for (int p = body.length; p < size; p++) {
                padded[p] = '\n';
            }
            return padded;
        }

        private static String event(String type, String data) {
            return (type == null ? "" : "event: " + type + "\n") + "data: " + data + "\n\n";
        }
    }
}
