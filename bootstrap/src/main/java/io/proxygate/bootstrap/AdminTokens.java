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
import java.util.Optional;

/**
 * Where the admin token comes from. Configured → used as is (and also written to
 * {@code <config dir>/.admin_token} when the config file lives elsewhere; otherwise it is in no file, and the
 * start-up line and the status name the variable or config key instead); not configured → generated once and kept
 * in {@code <data_dir>/.admin_token}. Files are 0600 and written atomically.
 */
public final class AdminTokens {
    /**
     * The token, the file a user can read it from (none when it is configured and kept in no file) and where it was
     * set ({@code PROXYGATE_ADMIN_TOKEN}, {@code [server] admin_token in <file>}, or the file itself).
     */
    public record AdminToken(String value, Optional<Path> file, String source, boolean generated) {
        /** "in FILE" or "from SOURCE", for the start-up line. */
        public String where() {
            return file.map(f -> "in " + f.toAbsolutePath().normalize()).orElse("from " + source);
        }

        /**
         * How to read it on the server: a command for the dashboard's sign-in hint, which is served without a token
         * and so names files within their folder ({@link #hintWhere()}), never by an absolute path.
         */
        public String hint() {
            if (file.isPresent()) {
                return "cat " + file.get().getFileName();
            }
            String prefix = CONFIG_KEY + " in ";
            return source.startsWith(prefix) ? "grep admin_token " + Path.of(source.substring(prefix.length()))
                    .getFileName() : "echo $" + source;
        }

        /** Where to run {@link #hint()}. */
        public String hintWhere() {
            if (file.isPresent()) {
                // Not configured: read or generated in the data folder, and the file is then its own source.
                return source.equals(file.get().toString()) ? "in the data folder ([paths] data_dir) on the server"
                        : "beside the config file on the server";
            }
            return source.startsWith(CONFIG_KEY + " in ") ? "in the config file's folder on the server"
                    : "on the server";
        }

        @Override
        public String toString() {
            return "AdminToken[" + where() + "]";
        }
    }

    private static final String CONFIG_KEY = "[server] admin_token";

    private AdminTokens() {
    }

    public static AdminToken resolve(ProxyGateConfiguration config) throws IOException {
        Path dataFile = config.paths.dataDir.resolve(".admin_token");
        if (!config.server.adminToken.isBlank()) {
            String token = config.server.adminToken;
            String source = config.server.adminTokenSource.isBlank() ? "[server] admin_token"
                    : config.server.adminTokenSource;
            Optional<Path> file = Optional.empty();
            if (config.sourceFile.isPresent()) {
                Path configDir = config.sourceFile.get().getParent();
                Path cwd = Path.of("").toAbsolutePath();
                if (configDir != null && !configDir.equals(cwd)) {
                    file = Optional.of(configDir.resolve(".admin_token"));
                    writeSecret(file.get(), token);
                }
            }
            return new AdminToken(token, file, source, false);
        }
        if (Files.isRegularFile(dataFile)) {
            String existing = Files.readString(dataFile, StandardCharsets.UTF_8).trim();
            if (!existing.isEmpty()) {
                return new AdminToken(existing, Optional.of(dataFile), dataFile.toString(), false);
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        writeSecret(dataFile, token);
        return new AdminToken(token, Optional.of(dataFile), dataFile.toString(), true);
    }

    /** The file of the key the CLI checks a listener's identity with (see {@code AdminAuth.identityProof}). */
    public static Path identityKeyFile(Path dataDir) {
        return dataDir.resolve(".cli_identity");
    }

    /**
     * The identity key: read from {@code <data_dir>/.cli_identity}, or generated there (256 random bits, 0600,
     * written atomically). Random and used for nothing else, so a listener's proof of it reveals nothing about the
     * admin token, which an operator may have chosen weak.
     */
    public static String identityKey(Path dataDir) throws IOException {
        Path file = identityKeyFile(dataDir);
        if (Files.isRegularFile(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!existing.isEmpty()) {
                return existing;
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = HexFormat.of().formatHex(random);
        writeSecret(file, key);
        return key;
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
