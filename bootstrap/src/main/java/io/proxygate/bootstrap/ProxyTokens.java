package io.proxygate.bootstrap;

import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A server reachable from other machines never runs with the proxy routes open: listening on a non-loopback
 * address with no {@code proxy_token} generates one (once; kept 0600 in {@code <data_dir>/.proxy_token}, like the
 * admin token) and requires it. On loopback an empty token still means open, as documented.
 */
final class ProxyTokens {
    static final String FILE_NAME = ".proxy_token";

    private ProxyTokens() {
    }

    /**
     * Fills {@code config.server.proxyToken} when it must not stay empty. Returns the file the token was read from or
     * written to, for the start-up log line (which names the file, never the token).
     */
    static Optional<Path> ensure(ProxyGateConfiguration config) throws IOException {
        if (!config.server.proxyToken.isBlank() || config.server.listensOnLoopback()) {
            return Optional.empty();
        }
        Path file = config.paths.dataDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!existing.isEmpty()) {
                config.server.proxyToken = existing;
                return Optional.of(file);
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "pg-" + HexFormat.of().formatHex(random);
        AdminTokens.writeSecret(file, token);
        config.server.proxyToken = token;
        return Optional.of(file);
    }
}
