package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files under {@code src/test/resources/translate}. Run with {@code -Dgolden.update=true} to rewrite them from
 * the current output (then review the diff before committing).
 */
final class Golden {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private Golden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/translate/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource translate/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    static JsonNode json(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON equals the golden file's, field order aside. */
    static void assertJson(byte[] actual, String name) {
        if (UPDATE) {
            write(name, prettyJson(actual));
        }
        assertThat(json(actual)).as(name).isEqualTo(json(bytes(name)));
    }

    /** The text equals the golden file's exactly. */
    static void assertText(String actual, String name) {
        if (UPDATE) {
            write(name, actual);
        }
        assertThat(actual).as(name).isEqualTo(text(name));
    }

    private static String prettyJson(byte[] body) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json(body)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String name, String content) {
        try {
            Path p = Path.of("src/test/resources/translate", name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Feeds an SSE text (frames separated by blank lines) to a translator and returns all output frames joined. */
    static String translateStream(EventTranslator t, String sse, boolean clean) {
        StringBuilder out = new StringBuilder();
        for (String[] e : events(sse)) {
            t.event(e[0], e[1], f -> out.append(new String(f, StandardCharsets.UTF_8)));
        }
        t.end(clean, f -> out.append(new String(f, StandardCharsets.UTF_8)));
        return out.toString();
    }

    /** The {event, data} pairs of an SSE text. */
    static List<String[]> events(String sse) {
        List<String[]> events = new ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(6));
                }
            }
            if (!data.isEmpty()) {
                events.add(new String[] {name, data.toString()});
            }
        }
        return events;
    }
}
