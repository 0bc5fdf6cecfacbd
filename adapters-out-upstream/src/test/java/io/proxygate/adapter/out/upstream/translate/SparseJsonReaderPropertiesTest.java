package io.proxygate.adapter.out.upstream.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A sparse tree reads, decodes and writes back exactly what Jackson's own tree does, whatever the strings hold. */
class SparseJsonReaderPropertiesTest {

    @Provide
    Arbitrary<String> texts() {
        // Long and short, with every escape JSON has, multi-byte and 4-byte characters.
        return Arbitraries.of("a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", "\u0001", "é", "中", "🙂",
                "{", "}", "[", "]", ":", ",").list().ofMinSize(0).ofMaxSize(120).map(parts -> String.join("", parts));
    }

    @Property(tries = 400)
    void readsDecodesAndWritesLikeJacksonsTree(@ForAll("texts") String a, @ForAll("texts") String b)
            throws IOException {
        ObjectNode original = Json.object();
        original.put("short", "id_1").put("text", a).put("n", 42).put("f", 0.5).put("t", true).putNull("none");
        original.putArray("parts").addObject().put("type", "input_text").put("text", b);
        // A tool schema, kept whole as bytes, inside an array and last in its object.
        ObjectNode tool = original.putArray("tools").addObject().put("type", "function");
        tool.putObject("parameters").put("type", "object").putObject("properties").putObject("x")
                .put("description", a).putArray("enum").add(b).add(1);
        original.putObject("parameters").putObject("empty");
        // Written both compactly and with the escapes Jackson does not use itself (\/ and \\u escapes).
        List<byte[]> bodies = List.of(Json.bytes(original),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(original),
                Json.string(original).replace("/", "\\/").replace("é", "\\u00e9").getBytes(StandardCharsets.UTF_8));
        for (byte[] body : bodies) {
            JsonNode sparse = SparseJsonReader.read(body);
            assertThat(sparse.path("text").textValue()).isEqualTo(a);
            assertThat(sparse.path("parts").get(0).path("text").asText()).isEqualTo(b);
            assertThat(Json.isObject(sparse.path("tools").get(0).path("parameters"))).isTrue();
            assertThat(((RawJsonNode) sparse.path("tools").get(0).path("parameters")).parsed())
                    .isEqualTo(original.path("tools").get(0).path("parameters"));
            assertThat(Json.MAPPER.readTree(Json.bytes(sparse))).isEqualTo(original);
            assertThat(Json.MAPPER.readTree(Json.string(sparse))).isEqualTo(original);
        }
    }
}
