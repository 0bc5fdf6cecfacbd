package io.proxygate.adapter.in.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.http.Headers;
import io.proxygate.application.proxy.ProxyCommand;
import io.proxygate.application.proxy.ProxyExchange;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.proxy.ProxyUseCase;
import io.proxygate.application.proxy.ResponseSink;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API resource on a real Jetty with a scripted proxy use case: what reaches the use case, what the client gets
 * back, and how a streamed reply leaves (event by event, not at the end).
 */
class ApiResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<ProxyCommand> received = new AtomicReference<>();
    private volatile Function<ProxyCommand, ProxyExchange> answer;
    private EmbeddedApi server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        startWith(new ClientAuth(Optional.empty(), false, false, List::of));
    }

    private void startWith(ClientAuth auth) throws Exception {
        if (server != null) {
            server.close();
        }
        ProxyUseCase proxy = command -> {
            received.set(command);
            return answer.apply(command);
        };
        server = new EmbeddedApi(proxy, auth, context -> { });
        base = server.base();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aStreamedReplyLeavesEventByEventAndReleasesTheExchange() throws Exception {
        CountDownLatch firstEventRead = new CountDownLatch(1);
        ScriptedExchange exchange = new ScriptedExchange(200, "text/event-stream", sink -> {
            sink.write(utf8("event: a\ndata: {\"n\":1}\n\n"));
            // The second event is only produced once the client has read the first: a relay that buffered the
            // reply would deadlock here and the test would time out.
            if (!firstEventRead.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the first event never reached the client");
            }
            sink.write(utf8("event: b\ndata: {\"n\":2}\n\n"));
            sink.end();
        });
        answer = command -> exchange;
        HttpResponse<java.io.InputStream> r = http.send(post("/v1/responses", "{\"model\":\"gpt-5\",\"stream\":true}"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("event: a");
            assertThat(reader.readLine()).isEqualTo("data: {\"n\":1}");
            firstEventRead.countDown();
            assertThat(reader.readLine()).isEmpty();
            assertThat(reader.readLine()).isEqualTo("event: b");
        }
        assertThat(received.get().route()).isEqualTo(Route.RESPONSES);
        assertThat(received.get().facts().stream()).isTrue();
        assertThat(exchange.closed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aJsonReplyLeavesWholeWithItsLengthAndTheUpstreamsHeaders() throws Exception {
        String body = "{\"id\":\"chatcmpl-1\",\"choices\":[]}";
        answer = command -> new ScriptedExchange(200, "application/json", sink -> {
            sink.write(utf8(body));
            sink.end();
        }, Map.entry("x-request-id", "req_1"), Map.entry("Set-Cookie", "session=1"));
        HttpResponse<String> r = http.send(post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(Integer.toString(body.length()));
        assertThat(r.headers().firstValue("x-request-id")).hasValue("req_1");
        assertThat(r.headers().firstValue("Set-Cookie")).as("never relayed to a browser-facing origin").isEmpty();
    }

    @Test
    void thePassthroughGetsItsMethodPathAndQueryVerbatim() throws Exception {
        answer = command -> new ScriptedExchange(204, null, ResponseSink::end);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/backend-api/wham/tasks?limit=20&cursor=a%20b"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("raw, not json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        ProxyCommand command = received.get();
        assertThat(command.route()).isEqualTo(Route.PASSTHROUGH);
        assertThat(command.method()).isEqualTo("PATCH");
        assertThat(command.path()).isEqualTo("/backend-api/wham/tasks");
        assertThat(command.query()).isEqualTo("limit=20&cursor=a%20b");
        assertThat(new String(command.body(), StandardCharsets.UTF_8)).isEqualTo("raw, not json");
    }

    @Test
    void aFailureBeforeTheFirstByteIsAnErrorInTheRoutesShapeWithRetryAfter() throws Exception {
        answer = command -> {
            throw new ProxyFailure(429, "rate_limit_error", "all credentials are cooling down",
                    Optional.of(Duration.ofMillis(1500)));
        };
        HttpResponse<String> messages = http.send(post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(messages.statusCode()).isEqualTo(429);
        assertThat(messages.headers().firstValue("Retry-After")).hasValue("2");
        JsonNode anthropic = JSON.readTree(messages.body());
        assertThat(anthropic.path("type").asText()).isEqualTo("error");
        assertThat(anthropic.path("error").path("type").asText()).isEqualTo("rate_limit_error");

        HttpResponse<String> chat = http.send(post("/v1/chat/completions", "{\"model\":\"gpt-4o\"}"),
                HttpResponse.BodyHandlers.ofString());
        JsonNode openAi = JSON.readTree(chat.body());
        assertThat(openAi.path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void aWrongMethodIs405WithAllowAndHeadIsNotRelayed() throws Exception {
        answer = command -> {
            throw new AssertionError("nothing may be relayed");
        };
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> options = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(options.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(options.body()).path("error").path("type").asText())
                .isEqualTo("invalid_request_error");
        assertThat(received.get()).isNull();
    }

    @Test
    void aPathNotInNormalFormIsRefusedBeforeRouting() throws Exception {
        answer = command -> {
            throw new AssertionError("nothing may be relayed");
        };
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/backend-api/x/%2e%2e/y"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(received.get()).isNull();
    }

    @Test
    void aClientWithoutTheProxyTokenIsRefusedInTheRoutesShape() throws Exception {
        startWith(new ClientAuth(Optional.of(Secret.of("pg-test-token")), false, false, List::of));
        answer = command -> {
            throw new AssertionError("nothing may be relayed");
        };
        HttpResponse<String> r = http.send(post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(r.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
        answer = command -> new ScriptedExchange(200, "application/json", sink -> {
            sink.write(utf8("{}"));
            sink.end();
        });
        HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                .header("x-api-key", "pg-test-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
    }

    @Test
    void aReplyCutBeforeItsEndIsA502NotATruncatedBody() throws Exception {
        answer = command -> new ScriptedExchange(200, "application/json", sink -> sink.write(utf8("{\"partial\":")));
        HttpResponse<String> r = http.send(post("/v1/chat/completions", "{\"model\":\"gpt-4o\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).contains("cut short");
    }

    private HttpRequest post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
