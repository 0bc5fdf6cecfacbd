package io.proxygate.bootstrap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.adapter.in.http.admin.AdminAuth;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How CLI commands reach a server running on the same configuration: its admin API, with the admin token it uses.
 * Commands that change what a running server holds in memory (cooldowns, client keys) tell it through here, so the
 * change applies at once rather than at the server's next sync.
 */
final class RunningServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

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
        return secretIn(cfg.paths.dataDir.resolve(".admin_token"));
    }

    /** A secret the server keeps in a file of its own, trimmed; empty when there is none (or it is unreadable). */
    private static Optional<String> secretIn(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                    .filter(t -> !t.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The admin token, once the listener has proved it holds this data directory's identity key and listens on the
     * configured port ({@link AdminAuth#identityProof}); empty when there is no token or key, or the listener cannot
     * prove it. While the server is down any local user can bind its
     * port, so the token is never sent to a listener on the strength of the address alone.
     *
     * @throws IOException when nothing answers at the address
     */
    static Optional<String> trustedToken(HttpClient client, ProxyGateConfiguration cfg)
            throws IOException, InterruptedException {
        Optional<String> token = adminToken(cfg);
        Optional<String> identityKey = identityKey(cfg);
        if (token.isEmpty() || identityKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String challenge = HexFormat.of().formatHex(random);
        HttpResponse<String> reply = client.send(HttpRequest.newBuilder(
                        URI.create(base(cfg) + "/admin/ui/identity?challenge=" + challenge))
                .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
        String proof;
        try {
            proof = reply.statusCode() == 200 ? JSON.readTree(reply.body()).path("proof").asText("") : "";
        } catch (IOException notJson) {
            return Optional.empty();
        }
        String expected = AdminAuth.identityProof(identityKey.get(), cfg.server.addr.port(), challenge);
        return MessageDigest.isEqual(proof.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8)) ? token : Optional.empty();
    }

    /** The key a server of this data directory proves itself with; empty when no server has written one. */
    private static Optional<String> identityKey(ProxyGateConfiguration cfg) {
        return secretIn(io.proxygate.bootstrap.AdminTokens.identityKeyFile(cfg.paths.dataDir));
    }

    /**
     * POSTs to an admin path ({@code /admin/...}); false when no server answers 200, or the listener could not
     * prove it is this ProxyGate (then the token is not sent).
     */
    static boolean post(ProxyGateConfiguration cfg, String path) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            Optional<String> token = trustedToken(client, cfg);
            if (token.isEmpty()) {
                return false;
            }
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
