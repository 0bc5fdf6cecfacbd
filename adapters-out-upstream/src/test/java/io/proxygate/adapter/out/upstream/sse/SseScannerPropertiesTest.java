package io.proxygate.adapter.out.upstream.sse;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** However the bytes are split and whichever line ending is used, the scanner yields the same events. */
class SseScannerPropertiesTest {

    record Stream(List<SseEvent> events, List<String> comments) {
    }

    @Provide
    Arbitrary<List<SseEvent>> events() {
        Arbitrary<String> type = Arbitraries.of("message", "response.output_text.delta", "message_delta", "ping");
        // Whole code points, so that multi-byte characters (and 4-byte emoji) get split by the chunking.
        Arbitrary<String> line = Arbitraries.of("a", "b", "z", " ", "{", "}", "\"", ":", ",", "0", "9", "é", "ü",
                        "🌍", "世", "界", "\\", "data:", "event:")
                .list().ofMinSize(0).ofMaxSize(30).map(parts -> String.join("", parts));
        Arbitrary<String> data = line.list().ofMinSize(1).ofMaxSize(4).map(lines -> String.join("\n", lines));
        return Combinators.combine(type, data).as(SseEvent::new).list().ofMinSize(0).ofMaxSize(12);
    }

    private static String serialise(List<SseEvent> events, String eol, boolean comments) {
        StringBuilder out = new StringBuilder();
        for (SseEvent e : events) {
            if (comments) {
                out.append(": comment").append(eol);
            }
            if (!e.type().equals("message")) {
                out.append("event: ").append(e.type()).append(eol);
            }
            for (String line : e.data().split("\n", -1)) {
                out.append("data: ").append(line).append(eol);
            }
            out.append(eol);
        }
        return out.toString();
    }

    private static List<SseEvent> scanInPieces(byte[] bytes, long seed) {
        return RandomPieces.scan(new SseScanner(), bytes, seed, 17);
    }

    @Property(tries = 300, seed = "20261126")
    void splitPointsAndLineEndingsDoNotChangeTheEvents(@ForAll("events") List<SseEvent> events,
                                                       @ForAll long splitSeed, @ForAll boolean comments) {
        for (String eol : List.of("\n", "\r\n", "\r")) {
            byte[] bytes = serialise(events, eol, comments).getBytes(StandardCharsets.UTF_8);
            assertThat(scanInPieces(bytes, splitSeed)).as("line ending %s", eol.replace("\r", "CR").replace("\n", "LF"))
                    .isEqualTo(events);
        }
    }
}
