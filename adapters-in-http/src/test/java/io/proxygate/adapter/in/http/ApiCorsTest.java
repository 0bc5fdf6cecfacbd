package io.proxygate.adapter.in.http;

import io.proxygate.application.proxy.ProxyCommand;
import io.proxygate.application.proxy.ProxyExchange;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.proxy.ProxyUseCase;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS for the origins listed in {@code allowed_origins}, on a real Jetty with the browser guard in front of the API
 * servlet and a stand-in admin servlet behind it: preflights answered on the model API routes only, replies readable
 * by the listed page (streamed, refused or cut short alike), and every other origin refused as before.
 */
class ApiCorsTest {
    private static final String LISTED = "http://127.0.0.1:3000";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicReference<ProxyCommand> received = new AtomicReference<>();
    private volatile Function<ProxyCommand, ProxyExchange> answer = command -> {
        throw new AssertionError("nothing may be relayed");
    };
    private EmbeddedApi server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        ProxyUseCase proxy = command -> {
            received.set(command);
            return answer.apply(command);
        };
        server = new EmbeddedApi(proxy, new ClientAuth(Optional.empty(), false, false, List::of), context -> {
            context.addFilter(new FilterHolder(new BrowserGuard(BrowserGuard.HostPolicy.of("127.0.0.1",
                            Optional.of(URI.create("https://gate.example.com")), List.of(), List.of(LISTED + "/")),
                            ApiRoutes.jsonPostPaths())), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new HttpServlet() {
                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) {
                    resp.setStatus(200); // stands for the admin application and the dashboard
                }
            }), "/*");
        });
        base = server.base();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aPreflightFromAListedOriginIsAnsweredWithTheRoutesMethodsAndThePlainHeadersAskedFor() throws Exception {
        HttpResponse<String> r = preflight("/v1/chat/completions", LISTED, "POST",
                "authorization, Content-Type, x-stainless-os, x-stainless-os, bad:name, two words, x_ok");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(LISTED);
        assertThat(r.headers().firstValue("Vary").orElse("")).contains("Origin");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValue("authorization, content-type, x-stainless-os, x_ok");
        assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue(ApiCors.MAX_AGE_SECONDS);
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(r.body()).isEmpty();

        HttpResponse<String> models = preflight("/v1/models", LISTED, "GET", null);
        assertThat(models.statusCode()).isEqualTo(204);
        assertThat(models.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET");
        assertThat(models.headers().firstValue("Access-Control-Allow-Headers")).isEmpty();
        assertThat(received.get()).as("a preflight is never relayed").isNull();
    }

    @Test
    void otherOriginsAndOtherRoutesGetNoCorsAnswer() throws Exception {
        HttpResponse<String> unlisted = preflight("/v1/chat/completions", "http://127.0.0.1:8888", "POST",
                "authorization");
        assertThat(unlisted.statusCode()).isEqualTo(403);
        assertThat(unlisted.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));

        HttpResponse<String> noOrigin = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noOrigin.statusCode()).isEqualTo(405);

        for (String path : List.of("/backend-api/conversations", "/admin/status", "/")) {
            HttpResponse<String> r = preflight(path, LISTED, "GET", "authorization");
            assertThat(r.statusCode()).as(path).isNotEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
        }
        HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/status"))
                .header("Origin", LISTED).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(admin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aJsonReplyToAListedOriginIsReadableAndTheUpstreamsCorsHeadersAreDropped() throws Exception {
        answer = command -> new ScriptedExchange(200, "application/json", sink -> {
            sink.write(utf8("{\"id\":\"chatcmpl-1\"}"));
            sink.end();
        }, Map.entry("Access-Control-Allow-Origin", "*"), Map.entry("Access-Control-Allow-Credentials", "true"),
                Map.entry("Vary", "Accept-Encoding"), Map.entry("x-request-id", "req_1"));
        HttpResponse<String> r = http.send(post("/v1/chat/completions", LISTED), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().allValues("Access-Control-Allow-Origin")).containsExactly(LISTED);
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(String.join(",", r.headers().allValues("Vary"))).contains("Origin").contains("Accept-Encoding");
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
                .contains("Retry-After").contains("x-request-id").contains("request-id");

        HttpResponse<String> plain = http.send(post("/v1/chat/completions", null), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().map().keySet()).as("no Origin, no CORS: and never the upstream's")
                .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }

    @Test
    void aStreamedReplyToAListedOriginCarriesTheCorsHeaders() throws Exception {
        answer = command -> new ScriptedExchange(200, "text/event-stream", sink -> {
            sink.write(utf8("event: a\ndata: {}\n\n"));
            sink.end();
        });
        HttpResponse<java.io.InputStream> r = http.send(post("/v1/responses", LISTED),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(LISTED);
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers")).isPresent();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("event: a");
        }
    }

    @Test
    void refusalsAndErrorsToAListedOriginAreReadableToo() throws Exception {
        answer = command -> {
            throw new ProxyFailure(429, "rate_limit_error", "all credentials are cooling down",
                    Optional.of(Duration.ofSeconds(3)));
        };
        HttpResponse<String> limited = http.send(post("/v1/messages", LISTED), HttpResponse.BodyHandlers.ofString());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(limited.headers().firstValue("Access-Control-Allow-Origin")).hasValue(LISTED);
        assertThat(limited.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Retry-After");

        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                .header("Origin", LISTED).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notJson.statusCode()).isEqualTo(415);
        assertThat(notJson.headers().firstValue("Access-Control-Allow-Origin")).hasValue(LISTED);

        // The relay answers a reply cut short with a fresh 502 (the response is reset): the CORS headers survive.
        answer = command -> new ScriptedExchange(200, "application/json", sink -> sink.write(utf8("{\"partial\":")));
        HttpResponse<String> cut = http.send(post("/v1/chat/completions", LISTED),
                HttpResponse.BodyHandlers.ofString());
        assertThat(cut.statusCode()).isEqualTo(502);
        assertThat(cut.headers().firstValue("Access-Control-Allow-Origin")).hasValue(LISTED);
    }

    @Test
    void onlyPlainHeaderNamesAreEchoed() {
        assertThat(ApiCors.allowedHeaders(null)).isEmpty();
        assertThat(ApiCors.allowedHeaders("X-A,\tx-b ,, x\u0001c, \u00e9t\u00e9, -lead, "
                + "a".repeat(65))).isEqualTo("x-a, x-b");
    }

    private HttpResponse<String> preflight(String path, String origin, String method, String headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Origin", origin)
                .header("Access-Control-Request-Method", method).header("Sec-Fetch-Mode", "cors")
                .header("Sec-Fetch-Site", "cross-site").method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        if (headers != null) {
            b.header("Access-Control-Request-Headers", headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest post(String path, String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5\"}"));
        if (origin != null) {
            b.header("Origin", origin).header("Sec-Fetch-Site", "cross-site");
        }
        return b.build();
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
