package io.proxygate.adapter.out.upstream.oauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plays the user's browser: opens the authorize page (the mock approves at once) and follows the redirect. */
final class TestBrowser {
    record Page(int status, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** GETs the authorize URL and returns where the provider redirects the browser (the callback URL). */
    String approve(URI authorizeUrl) {
        HttpResponse<String> response = get(authorizeUrl);
        if (response.statusCode() != 302) {
            throw new AssertionError("authorize answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** GETs a URL (the loopback callback) and returns the page. */
    Page visit(String url) {
        HttpResponse<String> response = get(URI.create(url));
        return new Page(response.statusCode(), response.body());
    }

    private HttpResponse<String> get(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
