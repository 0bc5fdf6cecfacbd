package io.proxygate.adapter.out.upstream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Asking a Chat stream for its usage on the client's behalf. */
class ChatUsageRewriterTest {
    @Test
    void theOptionIsAddedExplicitlyOffIsTurnedOnAndAskingAlreadyLeavesTheBodyAlone() {
        assertThat(text(ChatUsageRewriter.askForUsage(bytes(" {\"model\":\"m\",\"n\":1.50e1}"))))
                .isEqualTo(" {\"stream_options\":{\"include_usage\":true},\"model\":\"m\",\"n\":1.50e1}");
        assertThat(text(ChatUsageRewriter.askForUsage(bytes("{}"))))
                .isEqualTo("{\"stream_options\":{\"include_usage\":true}}");
        assertThat(text(ChatUsageRewriter.askForUsage(bytes("{\"stream_options\":{\"include_usage\":false},\"a\":1}"))))
                .isEqualTo("{\"stream_options\":{\"include_usage\":true},\"a\":1}");
        byte[] asked = bytes("{\"stream_options\":{\"include_usage\":true}}");
        assertThat(ChatUsageRewriter.askForUsage(asked)).isSameAs(asked);
        byte[] array = bytes("[1]");
        assertThat(ChatUsageRewriter.askForUsage(array)).as("no JSON object: sent as it is").isSameAs(array);
        byte[] broken = bytes("{not json");
        assertThat(ChatUsageRewriter.askForUsage(broken)).isSameAs(broken);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
