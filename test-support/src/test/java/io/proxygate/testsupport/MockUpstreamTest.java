package io.proxygate.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MockUpstreamTest {
    private final MockUpstream mock = MockUpstream.started();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        mock.close();
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mock.url(path)))
                .header("X-Test", "one").header("x-test", "two")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anExactHandlerWinsThenTheLongestPrefixElseAJson404() throws Exception {
        mock.reply("/v1/", 200, "text/plain", "short prefix")
                .reply("/v1/responses", 200, "text/plain", "long prefix")
                .on("POST", "/v1/responses/compact", (r, ex) -> MockUpstream.json(ex, 201, "{\"exact\":true}"));

        assertThat(post("/v1/responses/compact", new byte[0]).body()).isEqualTo("{\"exact\":true}");
        assertThat(post("/v1/responses/other", new byte[0]).body()).isEqualTo("long prefix");
        assertThat(post("/v1/models", new byte[0]).body()).isEqualTo("short prefix");
        HttpResponse<String> missing = post("/elsewhere", new byte[0]);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no mock for /elsewhere");
    }

    @Test
    void everyRequestIsRecordedWithItsExactBytesAndHeadersInAnyCase() throws Exception {
        mock.reply("/", 204, "text/plain", "");
        byte[] binary = {0, (byte) 0xFF, 0x28, (byte) 0xB5};

        post("/a?x=1", binary);
        post("/b", "text".getBytes(StandardCharsets.UTF_8));

        MockUpstream.Recorded first = mock.nextRequest();
        assertThat(first.path()).isEqualTo("/a");
        assertThat(first.query()).isEqualTo("x=1");
        assertThat(first.bytes()).isEqualTo(binary);
        assertThat(first.headerValues("X-TEST")).containsExactlyInAnyOrder("one", "two");
        assertThat(first.firstHeader("content-length")).contains("4");
        assertThat(first.header("absent")).isNull();
        assertThat(mock.nextRequest().body()).isEqualTo("text");
        assertThat(mock.pendingRequests()).isZero();
        assertThat(mock.requests("/b")).hasSize(1);
        assertThat(mock.requests()).hasSize(2);
    }
}
