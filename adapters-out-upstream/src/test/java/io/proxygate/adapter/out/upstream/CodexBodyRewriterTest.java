package io.proxygate.adapter.out.upstream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class CodexBodyRewriterTest {

    private static String rewrite(String body, boolean compact) {
        return new String(CodexBodyRewriter.rewrite(body.getBytes(StandardCharsets.UTF_8), compact, true),
                StandardCharsets.UTF_8);
    }

    @Test
    void aBodyThatMeetsTheRulesComesBackAsTheSameArray() {
        byte[] codex = "{ \"model\": \"gpt-5\", \"input\": [], \"store\": false, \"stream\": true }"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(CodexBodyRewriter.rewrite(codex, false, false)).isSameAs(codex);
    }

    @Test
    void codexItselfGetsNoInstructionsAddedOtherClientsDo() {
        byte[] body = "{\"model\":\"m\",\"input\":[],\"store\":false,\"stream\":true}".getBytes(StandardCharsets.UTF_8);

        assertThat(CodexBodyRewriter.rewrite(body, false, false)).isSameAs(body);
        assertThat(new String(CodexBodyRewriter.rewrite(body, false, true), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"input\":[],\"store\":false,\"stream\":true,\"instructions\":\"\"}");
    }

    @Test
    void aStoreTrueIsAChangeEvenWhenEverythingElseFits() {
        byte[] body = "{\"model\":\"m\",\"store\":true,\"stream\":true}".getBytes(StandardCharsets.UTF_8);

        assertThat(new String(CodexBodyRewriter.rewrite(body, false, false), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"store\":false,\"stream\":true}");
    }

    @Test
    void keepsEveryOtherFieldByteForByteAndInOrder() {
        String body = "{\n  \"model\" : \"gpt-5.5\",\n  \"include\": [\"reasoning.encrypted_content\"],"
                + " \"x-unknown\": {\"n\": 1.50E+3, \"s\": \"\\u00e9\\n\"}, \"stream\": false,"
                + " \"tools\": [ ], \"store\": false, \"instructions\": \"be brief\" }";

        assertThat(rewrite(body, false)).isEqualTo("{\"model\" : \"gpt-5.5\","
                + "\"include\": [\"reasoning.encrypted_content\"],"
                + "\"x-unknown\": {\"n\": 1.50E+3, \"s\": \"\\u00e9\\n\"},\"stream\": true,"
                + "\"tools\": [ ],\"store\": false,\"instructions\": \"be brief\"}");
    }

    @Test
    void addsWhatTheBackendRequiresWhenMissing() {
        assertThat(rewrite("{\"model\":\"m\",\"input\":[]}", false))
                .isEqualTo("{\"model\":\"m\",\"input\":[],\"store\":false,\"stream\":true,\"instructions\":\"\"}");
    }

    @Test
    void deletesEveryRejectedParameter() {
        StringBuilder body = new StringBuilder("{\"model\":\"m\"");
        for (String p : CodexBodyRewriter.REJECTED) {
            body.append(",\"").append(p).append("\":1");
        }
        body.append(",\"instructions\":\"\",\"store\":false,\"stream\":true}");

        assertThat(rewrite(body.toString(), false))
                .isEqualTo("{\"model\":\"m\",\"instructions\":\"\",\"store\":false,\"stream\":true}");
    }

    @Test
    void aStringInputBecomesOneUserMessageWithTheSameStringBytes() {
        assertThat(rewrite("{\"input\":\"caf\\u00e9 \\\"quoted\\\"\",\"instructions\":\"\"}", true))
                .isEqualTo("{\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":"
                        + "\"caf\\u00e9 \\\"quoted\\\"\"}],\"instructions\":\"\"}");
    }

    @Test
    void nullInstructionsBecomeEmpty() {
        assertThat(rewrite("{\"instructions\":null,\"store\":false,\"stream\":true}", false))
                .isEqualTo("{\"instructions\":\"\",\"store\":false,\"stream\":true}");
    }

    @Test
    void compactionDropsStreamAndStore() {
        assertThat(rewrite("{\"model\":\"m\",\"stream\":true,\"store\":true,\"input\":[],\"max_output_tokens\":5}",
                true)).isEqualTo("{\"model\":\"m\",\"input\":[],\"instructions\":\"\"}");
    }

    @Test
    void numbersAtTheEndOfTheObjectKeepTheirExactText() {
        assertThat(rewrite("{\"instructions\":\"\",\"store\":true,\"stream\":true,\"n\":-0.10e-2 }", false))
                .isEqualTo("{\"instructions\":\"\",\"store\":false,\"stream\":true,\"n\":-0.10e-2}");
    }

    @Test
    void aBodyThatIsNotAnObjectPassesUnchanged() {
        assertThat(rewrite("[1,2]", false)).isEqualTo("[1,2]");
        assertThat(rewrite("{\"model\":", false)).isEqualTo("{\"model\":");
        assertThat(rewrite("", false)).isEmpty();
    }
}
