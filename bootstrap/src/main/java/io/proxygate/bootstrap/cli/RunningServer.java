package io.proxygate.bootstrap.cli;

import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How CLI commands reach a server running on the same configuration: its admin API, with the admin token it uses.
 * Commands that change what a running server holds in memory (cooldowns, client keys) tell it through here, so the
 * change applies at once rather than at the server's next sync.
 */
final class RunningServer {
    private RunningServer() {
    }

    /** {@code http://host:port} of the configured listener; a wildcard bind is reached over loopback. */
    static String base(ProxyGateConfiguration cfg) {
        String host = cfg.server.addr.host().isBlank() || cfg.server.addr.host().equals("0.0.0.0")
                ? "127.0.0.1" : cfg.server.addr.host();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + cfg.server.addr.port();
    }

    /** The token the server uses: configured, or the one it generated into the data directory. Never generated here. */
    static Optional<String> adminToken(ProxyGateConfiguration cfg) {
        if (!cfg.server.adminToken.isBlank()) {
            return Optional.of(cfg.server.adminToken);
        }
        Path file = cfg.paths.dataDir.resolve(".admin_token");
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                    .filter(t -> !t.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** POSTs to an admin path ({@code /admin/...}); false when no server (or another program) answers 200. */
    static boolean post(ProxyGateConfiguration cfg, String path) {
        Optional<String> token = adminToken(cfg);
        if (token.isEmpty()) {
            return false;
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<Void> reply = client.send(HttpRequest.newBuilder(URI.create(base(cfg) + path))
                            .timeout(Duration.ofSeconds(5)).header("X-Admin-Token", token.get())
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            return reply.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
