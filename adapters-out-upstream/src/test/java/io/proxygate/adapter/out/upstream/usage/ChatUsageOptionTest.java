package io.proxygate.adapter.out.upstream.usage;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeping the usage chunk asked for on the client's behalf from a client that did not ask. */
class ChatUsageOptionTest {
    private static final String DELTA = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n";
    private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    @Test
    void theUsageChunkIsHiddenWhereverTheStreamIsSplit() {
        String stream = DELTA + DELTA + USAGE + DONE;
        for (int cut = 1; cut < stream.length(); cut++) {
            ChatUsageOption.Hider hider = new ChatUsageOption.Hider();
            StringBuilder shown = new StringBuilder();
            shown.append(text(hider.pass(ByteBuffer.wrap(bytes(stream.substring(0, cut))))));
            shown.append(text(hider.pass(ByteBuffer.wrap(bytes(stream.substring(cut))))));
            shown.append(text(hider.rest()));
            assertThat(shown.toString()).as("split at %d", cut).isEqualTo(DELTA + DELTA + DONE);
        }
    }

    @Test
    void aUsageChunkWrittenWithSpacesIsHiddenToo() {
        ChatUsageOption.Hider hider = new ChatUsageOption.Hider();
        String spaced = "data: {\"choices\": [], \"usage\": {\"prompt_tokens\": 3}}\n\n";
        assertThat(text(hider.pass(ByteBuffer.wrap(bytes(DELTA + spaced + DONE))))).isEqualTo(DELTA + DONE);
    }

    @Test
    void aChunkOfWholeEventsWithoutUsagePassesAsItIsAndAnUnfinishedLastEventComesAtTheEnd() {
        ChatUsageOption.Hider hider = new ChatUsageOption.Hider();
        ByteBuffer whole = ByteBuffer.wrap(bytes(DELTA + DELTA));
        assertThat(hider.pass(whole)).isSameAs(whole);
        assertThat(text(hider.pass(ByteBuffer.wrap(bytes("data: [DONE]"))))).isEmpty();
        assertThat(text(hider.rest())).isEqualTo("data: [DONE]");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String text(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return text(out);
    }
}
