package io.proxygate.benchmarks;

import io.proxygate.adapter.in.http.RequestFactsReader;
import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.RequestFacts;
import io.proxygate.application.http.Route;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Request-body field extraction (model, stream, conversation key...) as every proxied request pays it, on a
 * small request and on a long conversation (the whole history is skipped, never built). Score in requests/s;
 * the body sizes are printed at set-up so bytes/s can be derived.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RequestFactsBenchmark extends StandardRun {
    @Param({"codex-small", "claude-code-200k"})
    public String body;

    private byte[] bytes;
    private Route route;
    private Headers headers;

    @Setup
    public void setUp() {
        if (body.startsWith("codex")) {
            route = Route.RESPONSES;
            headers = Headers.of("x-codex-turn-metadata", "{\"session_id\":\"s-1\"}");
            bytes = ("{\"model\":\"gpt-5\",\"stream\":true,\"instructions\":\"You are Codex.\",\"input\":[{\"role\":"
                    + "\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"" + "fix the failing test ".repeat(60)
                    + "\"}]}],\"tools\":[],\"tool_choice\":\"auto\",\"parallel_tool_calls\":false,\"reasoning\":"
                    + "{\"effort\":\"medium\"},\"store\":false,\"include\":[],\"prompt_cache_key\":\"0199-abc\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            route = Route.MESSAGES;
            headers = Headers.of("x-claude-code-session-id", "5f1c-session");
            StringBuilder messages = new StringBuilder();
            int i = 0;
            while (messages.length() < 200_000) {
                messages.append(i == 0 ? "" : ",").append("{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant")
                        .append("\",\"content\":[{\"type\":\"text\",\"text\":\"").append("line of code \\n".repeat(40))
                        .append("\"}]}");
                i++;
            }
            bytes = ("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":32000,\"stream\":true,\"system\":[{\"type\":"
                    + "\"text\",\"text\":\"You are Claude Code.\"}],\"messages\":[" + messages + "],\"metadata\":"
                    + "{\"user_id\":\"{\\\"session_id\\\":\\\"5f1c-session\\\"}\"}}").getBytes(StandardCharsets.UTF_8);
        }
        System.out.println("\n" + body + ": " + bytes.length + " bytes");
    }

    @Benchmark
    public RequestFacts extract() {
        return RequestFactsReader.read(route, bytes, headers);
    }
}
