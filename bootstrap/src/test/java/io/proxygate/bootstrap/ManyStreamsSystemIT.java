package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * More streams open at once than Jetty's default cap (1,024 virtual threads, which it enforces by blocking its
 * selector): every one must reach the upstream while all the others are still open, and all must finish.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ManyStreamsSystemIT {
    private static final int STREAMS = 1_200;
    private static final CountDownLatch ALL_ARRIVED = new CountDownLatch(STREAMS);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final MockUpstream UPSTREAM = start();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        Path root = PoolFiles.tempRoot("proxygate-many-streams",
                pool -> PoolFiles.key(pool, "openai-1", "openai", "sk-test-openai-many"));
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(root, ProxyGateRunner.upstreamsAt(UPSTREAM.url(),
                // The mock speaks HTTP/1.1: one connection per stream.
                Map.of("PROXYGATE_UPSTREAM_MAX_CONNECTIONS_PER_ROUTE", "4096"))));
    }

    private static MockUpstream start() {
        MockUpstream mock = MockUpstream.started();
        mock.on("POST", "/v1/responses", (r, ex) -> {
            OutputStream out = MockUpstream.startSse(ex, Map.of());
            MockUpstream.event(out, "response.created", "{\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}");
            ALL_ARRIVED.countDown();
            try {
                // Every stream stays open until all of them have reached the upstream.
                if (!RELEASE.await(60, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            MockUpstream.event(out, "response.completed", "{\"type\":\"response.completed\",\"response\":"
                    + "{\"id\":\"r\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}");
        });
        return mock;
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        UPSTREAM.close();
    }

    @Test
    void moreThanAThousandConcurrentStreamsAreAllServedAtOnce() throws Exception {
        List<Future<String>> streams = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < STREAMS; i++) {
                streams.add(clients.submit(ManyStreamsSystemIT::stream));
            }
            assertThat(ALL_ARRIVED.await(60, TimeUnit.SECONDS))
                    .as("streams open at the upstream at the same time: %d of %d", STREAMS - ALL_ARRIVED.getCount(),
                            STREAMS)
                    .isTrue();
            RELEASE.countDown();
            for (Future<String> s : streams) {
                assertThat(s.get(60, TimeUnit.SECONDS)).contains("response.completed");
            }
        }
    }

    /** One streamed request over a raw socket ({@code Connection: close}), read to the end. */
    private static String stream() throws IOException {
        String body = "{\"model\":\"gpt-5\",\"stream\":true,\"input\":\"hi\"}";
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            socket.setSoTimeout(90_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
