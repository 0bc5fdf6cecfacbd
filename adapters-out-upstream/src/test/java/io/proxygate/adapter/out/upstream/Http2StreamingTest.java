package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.ProtocolVersion;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.StreamChannel;
import org.apache.hc.core5.http.nio.entity.AbstractBinAsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.nio.support.BasicResponseProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2ServerBootstrap;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ListenerEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.proxygate.adapter.out.upstream.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP/2 path (what chatgpt.com and api.anthropic.com negotiate): flow control must hold a slow reader's stream
 * back, and close() must reset the stream. The server is HttpCore's own HTTP/2 server, spoken to with prior knowledge.
 */
class Http2StreamingTest {
    private static final int LIMIT = 64 * 1024;
    // Small: over loopback HttpCore's HTTP/2 server waits ~40 ms per window round trip, so bulk is slow here.
    private static final long TOTAL = 4L * 1024 * 1024;

    private final AtomicLong produced = new AtomicLong();
    private final CountDownLatch releasedEarly = new CountDownLatch(1);
    private final AtomicReference<ProtocolVersion> protocol = new AtomicReference<>();
    private HttpAsyncServer server;
    private HttpUpstreamAdapter adapter;

    /** Produces TOTAL bytes as fast as the stream's flow-control window lets it. */
    private final class Generator extends AbstractBinAsyncEntityProducer {
        private final ByteBuffer block = ByteBuffer.allocate(16 * 1024);

        Generator() {
            super(0, ContentType.APPLICATION_OCTET_STREAM);
        }

        @Override
        protected int availableData() {
            return Integer.MAX_VALUE;
        }

        @Override
        protected void produceData(StreamChannel<ByteBuffer> channel) throws IOException {
            while (produced.get() < TOTAL) {
                block.clear().limit((int) Math.min(block.capacity(), TOTAL - produced.get()));
                int n = channel.write(block);
                if (n == 0) {
                    return;
                }
                produced.addAndGet(n);
            }
            channel.endStream();
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }

        @Override
        public void failed(Exception cause) {
            releasedEarly.countDown();
        }

        @Override
        public void releaseResources() {
            if (produced.get() < TOTAL) {
                releasedEarly.countDown();
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicReference<HttpRequest> seenHead =
            new java.util.concurrent.atomic.AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = H2ServerBootstrap.bootstrap()
                .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_2)
                .setCanonicalHostName("127.0.0.1")
                .register("*", new AsyncServerRequestHandler<Message<HttpRequest, Void>>() {
                    @Override
                    public AsyncRequestConsumer<Message<HttpRequest, Void>> prepare(
                            HttpRequest request, EntityDetails entityDetails, HttpContext context) {
                        return new BasicRequestConsumer<>(entityDetails == null ? null : new DiscardingEntityConsumer<>());
                    }

                    @Override
                    public void handle(Message<HttpRequest, Void> message, ResponseTrigger trigger, HttpContext context)
                            throws org.apache.hc.core5.http.HttpException, IOException {
                        protocol.set(message.getHead().getVersion());
                        seenHead.set(message.getHead());
                        trigger.submitResponse(new BasicResponseProducer(new BasicHttpResponse(200), new Generator()),
                                context);
                    }
                })
                .create();
        server.start();
        ListenerEndpoint endpoint = server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                URIScheme.HTTP).get(5, TimeUnit.SECONDS);
        int port = ((InetSocketAddress) endpoint.getAddress()).getPort();
        adapter = new HttpUpstreamAdapter(UpstreamSettings.builder()
                .openaiBaseUrl("http://127.0.0.1:" + port + "/v1")
                .streamBufferBytes(LIMIT)
                .idleTimeout(Duration.ofMillis(300))
                .build(), InstantSource.system(), HttpVersionPolicy.FORCE_HTTP_2);
    }

    @AfterEach
    void stop() {
        adapter.close();
        server.close(CloseMode.IMMEDIATE);
    }

    private UpstreamCall open() {
        return adapter.open(request(Route.RESPONSES, Fixtures.openaiKey(null), Headers.EMPTY, "{}", true));
    }

    @Test
    void flowControlHoldsASlowReadersStreamBack() throws Exception {
        try (UpstreamCall call = open()) {
            HttpUpstreamCall streaming = (HttpUpstreamCall) call;
            assertThat(call.awaitHead().status()).isEqualTo(200);
            long read = call.nextChunk().orElseThrow().remaining();
            assertThat(protocol.get()).isEqualTo(HttpVersion.HTTP_2);

            await().atMost(Duration.ofSeconds(10)).until(() -> streaming.bufferedBytes() >= LIMIT / 2);
            await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5))
                    .until(() -> produced.get() < TOTAL / 4);
            long bound = LIMIT + 64 * 1024 + 16 * 1024;
            assertThat(streaming.highWaterBytes()).isLessThanOrEqualTo(bound);

            Optional<ByteBuffer> chunk;
            while ((chunk = call.nextChunk()).isPresent()) {
                read += chunk.get().remaining();
            }
            assertThat(read).isEqualTo(TOTAL);
            assertThat(streaming.highWaterBytes()).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void closeResetsTheStream() throws Exception {
        UpstreamCall call = open();
        assertThat(call.awaitHead().status()).isEqualTo(200);
        call.nextChunk().orElseThrow();

        call.close();

        assertThat(releasedEarly.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(produced.get()).isLessThan(TOTAL);
    }

    @Test
    void aClientsHttp1HeadersAreRelayedOverHttp2WithoutItsConnectionFields() throws Exception {
        Headers client = Headers.of("Host", "127.0.0.1:8787", "Connection", "keep-alive", "Keep-Alive", "timeout=5",
                "TE", "trailers", "Content-Length", "2", "Content-Type", "application/json",
                "User-Agent", "OpenAI/Java 4.0", "X-Stainless-Lang", "java", "Authorization", "Bearer proxy-token");

        try (UpstreamCall call = adapter.open(request(Route.RESPONSES, Fixtures.openaiKey(null), client, "{}",
                true))) {
            assertThat(call.awaitHead().status()).isEqualTo(200);
            assertThat(protocol.get()).isEqualTo(HttpVersion.HTTP_2);
        }

        HttpRequest head = seenHead.get();
        assertThat(head.getFirstHeader("user-agent").getValue()).isEqualTo("OpenAI/Java 4.0");
        assertThat(head.getFirstHeader("x-stainless-lang").getValue()).isEqualTo("java");
        assertThat(head.getFirstHeader("authorization").getValue()).isEqualTo("Bearer " + Fixtures.OPENAI_KEY);
        assertThat(head.containsHeader("keep-alive")).isFalse();
        assertThat(head.containsHeader("connection")).isFalse();
    }
}
