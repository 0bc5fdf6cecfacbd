package io.proxygate.bootstrap.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Requests to a running ProxyGate as the system tests send them: a JSON content type, the admin token on
 * {@code /admin} paths only (the API routes never need it), and any headers the test adds to every request.
 */
public final class AppRequests {
    private final HttpClient http = HttpClient.newHttpClient();
    private final IntSupplier port;
    private final Supplier<String> adminToken;
    private final String[] extraHeaders;

    /** @param extraHeaders name, value pairs sent with every request */
    public AppRequests(IntSupplier port, Supplier<String> adminToken, String... extraHeaders) {
        this.port = port;
        this.adminToken = adminToken;
        this.extraHeaders = extraHeaders.clone();
    }

    /** Sends {@code body} (none when null) and reads the reply as text. */
    public HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < extraHeaders.length; i += 2) {
            b.header(extraHeaders[i], extraHeaders[i + 1]);
        }
        if (path.startsWith("/admin")) {
            b.header("X-Admin-Token", adminToken.get());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
