package io.proxygate.adapter.out.upstream;

import io.proxygate.adapter.out.upstream.translate.TranslatingUpstream;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.application.port.out.TranslationPlan;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.translate.Translation;
import io.proxygate.testsupport.MockUpstream;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A translated stream holds at most one upstream event: over real loopback HTTP, the upstream sends one event and
 * then waits until the reader has its translation, so a translator that held on for a second event would never get
 * it (the read would time out instead).
 */
class TranslatedStreamingTest extends AdapterOverMockUpstream {
    /** Far longer than any honest hand-over on a loaded machine; only reached when something waits for more. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);


    private static String frame(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }

    private static String text(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Serves {@code path} with {@code events}, one at a time: after each it waits until the test saw the client-side
     * frame it must have caused, so nothing the translator needs can arrive early.
     */
    private List<String> serveOneAtATime(String path, List<String> events, CountDownLatch[] seen) {
        List<String> problems = new CopyOnWriteArrayList<>();
        mock.onPrefix(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < events.size(); i++) {
                out.write(events.get(i).getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (i < seen.length && !seen[i].await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    problems.add("no translated frame after upstream event " + i);
                    break;
                }
            }
            out.close();
        });
        return problems;
    }

    private UpstreamCall openTranslated(Route upstreamRoute, Route clientRoute, Api from, Api to, String body) {
        adapter(Fixtures.settingsFor(mock));
        TranslatingUpstream upstream = new TranslatingUpstream(adapter);
        return upstream.open(new UpstreamRequest(upstreamRoute, to == Api.MESSAGES ? Fixtures.anthropicKey(null)
                : Fixtures.openaiKey(null), "", Headers.EMPTY, body.getBytes(StandardCharsets.UTF_8), true, "POST",
                "", Optional.empty(), Optional.of(new TranslationPlan(clientRoute,
                new Translation(from, to, "client-model", "served-model", "test")))));
    }

    @Test
    void aMessagesClientGetsMessageStartAsSoonAsTheResponsesUpstreamSentResponseCreated() throws Exception {
        List<String> events = List.of(
                frame("response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\"}}"),
                frame("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\","
                        + "\"output_index\":0,\"content_index\":0,\"delta\":\"Hel\"}"),
                frame("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\","
                        + "\"output_index\":0,\"content_index\":0,\"delta\":\"lo\"}"),
                frame("response.completed", "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\","
                        + "\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}}"));
        CountDownLatch[] seen = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        List<String> problems = serveOneAtATime("/v1/responses", events, seen);

        try (UpstreamCall call = openTranslated(Route.RESPONSES, Route.MESSAGES, Api.MESSAGES, Api.RESPONSES,
                "{\"model\":\"client-model\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"hi\"}]}")) {
            UpstreamHead head = call.awaitHead();
            assertThat(head.eventStream()).isTrue();

            Optional<ByteBuffer> first = call.nextChunk(PATIENCE);
            assertThat(first).as("the first upstream event alone yields the first client frame").isNotNull();
            assertThat(text(first.orElseThrow())).startsWith("event: message_start\n").endsWith("\n\n")
                    .containsOnlyOnce("event: ");
            seen[0].countDown();

            Optional<ByteBuffer> second = call.nextChunk(PATIENCE);
            assertThat(second).as("the first delta alone yields its block's frames").isNotNull();
            assertThat(text(second.orElseThrow())).startsWith("event: content_block_start\n")
                    .contains("event: content_block_delta\n").contains("\"text\":\"Hel\"");
            seen[1].countDown();

            Optional<ByteBuffer> third = call.nextChunk(PATIENCE);
            assertThat(third).isNotNull();
            assertThat(text(third.orElseThrow())).startsWith("event: content_block_delta\n").contains("\"lo\"")
                    .containsOnlyOnce("event: ");
            seen[2].countDown();

            StringBuilder rest = new StringBuilder();
            Optional<ByteBuffer> chunk;
            while ((chunk = call.nextChunk(PATIENCE)) != null && chunk.isPresent()) {
                rest.append(text(chunk.get()));
            }
            assertThat(rest.toString()).contains("event: message_delta\n").endsWith("event: message_stop\n"
                    + "data: {\"type\":\"message_stop\"}\n\n");
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aResponsesClientGetsResponseCreatedAsSoonAsTheMessagesUpstreamSentMessageStart() throws Exception {
        List<String> events = List.of(
                frame("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                        + "\"role\":\"assistant\",\"model\":\"served-model\",\"content\":[],\"stop_reason\":null,"
                        + "\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}"),
                frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"),
                frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
                frame("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":2}}"),
                frame("message_stop", "{\"type\":\"message_stop\"}"));
        CountDownLatch[] seen = {new CountDownLatch(1)};
        List<String> problems = serveOneAtATime("/v1/messages", events, seen);

        try (UpstreamCall call = openTranslated(Route.MESSAGES, Route.RESPONSES, Api.RESPONSES, Api.MESSAGES,
                "{\"model\":\"client-model\",\"stream\":true,\"input\":\"hi\"}")) {
            assertThat(call.awaitHead().eventStream()).isTrue();
            Optional<ByteBuffer> first = call.nextChunk(PATIENCE);
            assertThat(first).as("the first upstream event alone yields the first client frame").isNotNull();
            assertThat(text(first.orElseThrow())).startsWith("event: response.created\n");
            seen[0].countDown();
            StringBuilder rest = new StringBuilder();
            Optional<ByteBuffer> chunk;
            while ((chunk = call.nextChunk(PATIENCE)) != null && chunk.isPresent()) {
                rest.append(text(chunk.get()));
            }
            assertThat(rest.toString()).contains("\"delta\":\"Hello\"").contains("event: response.completed\n");
        }
        assertThat(problems).isEmpty();
    }
}
