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

    @Provide
    Arbitrary<String> damagedBodies() {
        String valid = "{\"model\":\"m\",\"n\":[1,-2,3.5e2,0,-0.25,12345678901234567890],\"t\":true,\"f\":false,"
                + "\"z\":null,\"s\":\"a\\\"b\\\\c\\u00e9d\",\"long\":\"" + "x".repeat(60) + "\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"p\":{\"enum\":[1,\"two\",[]]}}}}";
        // One edit anywhere: a character JSON gives meaning to, inserted, swapped in or taken out.
        Arbitrary<Character> chars = Arbitraries.of('{', '}', '[', ']', ',', ':', '"', '\\', '0', '1', '-', '.', 'e',
                'u', 't', 'x', ' ', '\n', '\u0001');
        Arbitrary<Integer> positions = Arbitraries.integers().between(0, valid.length() - 1);
        Arbitrary<Integer> kinds = Arbitraries.integers().between(0, 2);
        return net.jqwik.api.Combinators.combine(positions, chars, kinds).as((at, c, kind) -> switch (kind) {
            case 0 -> valid.substring(0, at) + c + valid.substring(at);
            case 1 -> valid.substring(0, at) + c + valid.substring(at + 1);
            default -> valid.substring(0, at) + valid.substring(at + 1);
        });
    }

    /** The reader refuses exactly what Jackson refuses, and what both accept reads the same. */
    @Property(tries = 1500)
    void refusesWhatJacksonRefuses(@ForAll("damagedBodies") String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        JsonNode strict;
        try {
            strict = Json.MAPPER.reader().with(com.fasterxml.jackson.databind.DeserializationFeature
                    .FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (IOException refused) {
            strict = null;
        }
        JsonNode sparse;
        try {
            sparse = SparseJsonReader.read(body);
        } catch (IOException refused) {
            sparse = null;
        }
        if (strict == null || strict.isMissingNode()) {
            assertThat(sparse).as(text).isNull();
        } else {
            assertThat(sparse).as(text).isNotNull();
            // Compared from the sparse side: its raw nodes know how to equal Jackson's, not the other way round.
            assertThat(sparse.equals(strict)).as(text + " reads as " + strict).isTrue();
        }
    }
}
