package io.proxygate.bootstrap;

import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Where the admin token comes from. Configured → used as is (and also written to
 * {@code <config dir>/.admin_token} when the config file lives elsewhere); not configured → generated once and kept
 * in {@code <data_dir>/.admin_token}. Files are 0600 and written atomically.
 */
public final class AdminTokens {
    /** The token and the file a user can read it from. */
    public record AdminToken(String value, Path file, boolean generated) {
        @Override
        public String toString() {
            return "AdminToken[" + file + "]";
        }
    }

    private AdminTokens() {
    }

    public static AdminToken resolve(ProxyGateConfiguration config) throws IOException {
        Path dataFile = config.paths.dataDir.resolve(".admin_token");
        if (!config.server.adminToken.isBlank()) {
            String token = config.server.adminToken;
            Path file = dataFile;
            if (config.sourceFile.isPresent()) {
                Path configDir = config.sourceFile.get().getParent();
                Path cwd = Path.of("").toAbsolutePath();
                if (configDir != null && !configDir.equals(cwd)) {
                    file = configDir.resolve(".admin_token");
                    writeSecret(file, token);
                }
            }
            return new AdminToken(token, file, false);
        }
        if (Files.isRegularFile(dataFile)) {
            String existing = Files.readString(dataFile, StandardCharsets.UTF_8).trim();
            if (!existing.isEmpty()) {
                return new AdminToken(existing, dataFile, false);
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        writeSecret(dataFile, token);
        return new AdminToken(token, dataFile, true);
    }

    static void writeSecret(Path file, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".admin_token", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
