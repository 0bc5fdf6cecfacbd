package io.proxygate.application.port.out;

import io.proxygate.application.http.Headers;
import io.proxygate.domain.usage.UsageReport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingUpstreamCallTest {
    /** Records each call it gets, with the wait or limit it was given. */
    private static final class RecordingCall implements UpstreamCall {
        final List<String> calls = new ArrayList<>();
        final UpstreamHead head = new UpstreamHead(200, Headers.EMPTY, Headers.EMPTY, true, Optional.empty());

        @Override
        public UpstreamHead awaitHead() {
            calls.add("awaitHead");
            return head;
        }

        @Override
        public UpstreamHead awaitHead(Duration limit) {
            calls.add("awaitHead " + limit);
            return head;
        }

        @Override
        public Optional<ByteBuffer> nextChunk() {
            calls.add("nextChunk");
            return Optional.empty();
        }

        @Override
        public Optional<ByteBuffer> nextChunk(Duration wait) {
            calls.add("nextChunk " + wait);
            return null;
        }

        @Override
        public UsageReport usage() {
            calls.add("usage");
            return UsageReport.EMPTY;
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void everyMethodReachesTheWrappedCallWithItsWaitOrLimit() throws UpstreamException {
        RecordingCall inner = new RecordingCall();
        UpstreamCall forwarding = new ForwardingUpstreamCall(inner) {
        };

        assertThat(forwarding.awaitHead()).isSameAs(inner.head);
        assertThat(forwarding.awaitHead(Duration.ofSeconds(3))).isSameAs(inner.head);
        assertThat(forwarding.nextChunk()).isEmpty();
        // null is "nothing arrived within the wait": the relay then checks on its client, so it must come through.
        assertThat(forwarding.nextChunk(Duration.ofMillis(250))).isNull();
        assertThat(forwarding.usage()).isSameAs(UsageReport.EMPTY);
        forwarding.close();

        assertThat(inner.calls).containsExactly("awaitHead", "awaitHead PT3S", "nextChunk", "nextChunk PT0.25S", "usage",
                "close");
    }
}
