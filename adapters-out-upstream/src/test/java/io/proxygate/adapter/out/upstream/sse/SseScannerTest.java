package io.proxygate.adapter.out.upstream.sse;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseScannerTest {

    private static List<SseEvent> scanWhole(SseScanner scanner, String text) {
        List<SseEvent> events = new ArrayList<>();
        scanner.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), events::add);
        scanner.finish(events::add);
        return events;
    }

    private static List<SseEvent> scanByteByByte(String text) {
        SseScanner scanner = new SseScanner();
        List<SseEvent> events = new ArrayList<>();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            scanner.feed(ByteBuffer.wrap(new byte[] {b}), events::add);
        }
        scanner.finish(events::add);
        return events;
    }

    @Test
    void emitsNamedEventsWithTheirData() {
        List<SseEvent> events = scanWhole(new SseScanner(),
                "event: response.created\ndata: {\"a\":1}\n\nevent: response.completed\ndata: {\"b\":2}\n\n");

        assertThat(events).containsExactly(
                new SseEvent("response.created", "{\"a\":1}"),
                new SseEvent("response.completed", "{\"b\":2}"));
    }

    @Test
    void unnamedEventsAreMessagesAndDoneIsJustData() {
        assertThat(scanWhole(new SseScanner(), "data: {\"id\":\"c1\"}\n\ndata: [DONE]\n\n")).containsExactly(
                new SseEvent("message", "{\"id\":\"c1\"}"), new SseEvent("message", "[DONE]"));
    }

    @Test
    void crlfAndLoneCrLineEndingsParseLikeLf() {
        String lf = "event: a\ndata: 1\n\nevent: b\ndata: 2\n\n";
        assertThat(scanWhole(new SseScanner(), lf.replace("\n", "\r\n"))).isEqualTo(scanWhole(new SseScanner(), lf));
        assertThat(scanWhole(new SseScanner(), lf.replace("\n", "\r"))).isEqualTo(scanWhole(new SseScanner(), lf));
    }

    @Test
    void joinsMultiLineDataAndSkipsComments() {
        assertThat(scanWhole(new SseScanner(), ": keep-alive\ndata: line one\n: mid\ndata:line two\ndata\n\n"))
                .containsExactly(new SseEvent("message", "line one\nline two\n"));
    }

    @Test
    void aCharacterSplitAcrossChunksSurvives() {
        String text = "event: response.output_text.delta\ndata: {\"delta\":\"héllo 🌍 世界\"}\r\n\r\n";

        assertThat(scanByteByByte(text)).containsExactly(
                new SseEvent("response.output_text.delta", "{\"delta\":\"héllo 🌍 世界\"}"));
    }

    @Test
    void aCarriageReturnAtTheEndOfAChunkDoesNotDoubleTheLineBreak() {
        SseScanner scanner = new SseScanner();
        List<SseEvent> events = new ArrayList<>();
        scanner.feed(ByteBuffer.wrap("data: x\r".getBytes(StandardCharsets.UTF_8)), events::add);
        scanner.feed(ByteBuffer.wrap("\ndata: y\r".getBytes(StandardCharsets.UTF_8)), events::add);
        scanner.feed(ByteBuffer.wrap("\n\r\n".getBytes(StandardCharsets.UTF_8)), events::add);

        assertThat(events).containsExactly(new SseEvent("message", "x\ny"));
    }

    @Test
    void aTrailingEventWithoutBlankLineIsDeliveredAtFinish() {
        assertThat(scanWhole(new SseScanner(), "event: message_stop\ndata: {}")).containsExactly(
                new SseEvent("message_stop", "{}"));
    }

    @Test
    void feedingDoesNotMoveTheCallersBuffer() {
        ByteBuffer chunk = ByteBuffer.wrap("data: 1\n\n".getBytes(StandardCharsets.UTF_8));
        new SseScanner().feed(chunk, e -> { });

        assertThat(chunk.position()).isZero();
        assertThat(chunk.remaining()).isEqualTo(9);
    }

    @Test
    void anOversizedEventIsDroppedAndTheScanGoesOn() {
        SseScanner scanner = new SseScanner(64, type -> true);
        String huge = "x".repeat(200);

        List<SseEvent> events = scanWhole(scanner,
                "data: small\n\nevent: big\ndata: " + huge + "\n\ndata: a\ndata: " + huge + "\n\ndata: after\n\n");

        assertThat(events).containsExactly(new SseEvent("message", "small"), new SseEvent("message", "after"));
        assertThat(scanner.droppedEvents()).isEqualTo(2);
    }

    @Test
    void uninterestingEventsAreNotDelivered() {
        SseScanner scanner = new SseScanner(1024, type -> type.equals("keep"));

        assertThat(scanWhole(scanner, "event: skip\ndata: 1\n\nevent: keep\ndata: 2\n\ndata: 3\nevent: skip\n\n"))
                .containsExactly(new SseEvent("keep", "2"));
    }

    @Test
    void anEventWithoutDataIsNotDispatched() {
        assertThat(scanWhole(new SseScanner(), "event: ping\n\nid: 7\nretry: 10\n\n")).isEmpty();
    }
}
