package io.proxygate.adapter.out.persistence.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.adapter.out.persistence.pool.AtomicFiles;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.PendingLogin;
import io.proxygate.application.port.out.PendingLoginPort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pending manual logins as {@code <data_dir>/.pending-chatgpt-oauth.json} and {@code .pending-claude-oauth.json}
 * ({@code {"verifier","state","redirect_uri","created_at"}}, one layout for both providers). Files are written
 * with {@link AtomicFiles} (mode 0600, renamed into place and the directory synced); the data dir is created 0700
 * when missing.
 */
public final class JsonPendingLoginStore implements PendingLoginPort {
    private final Path dataDir;
    private final ObjectMapper json = new ObjectMapper();

    public JsonPendingLoginStore(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The file holding {@code provider}'s pending login. */
    public Path file(OAuthProvider provider) {
        return dataDir.resolve(".pending-" + provider.id() + "-oauth.json");
    }

    @Override
    public void save(OAuthProvider provider, PendingLogin login) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            // Only a dir we create is made owner-only: an existing data dir keeps the mode its owner chose.
            AtomicFiles.ensureDirectory(dataDir);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("verifier", login.verifier());
        fields.put("state", login.state());
        fields.put("redirect_uri", login.redirectUri());
        fields.put("created_at", login.createdAt().toString());
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(fields);
        AtomicFiles.write(file(provider), bytes);
    }

    @Override
    public Optional<PendingLogin> load(OAuthProvider provider) throws IOException {
        Path file = file(provider);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(bytes);
            String verifier = node.path("verifier").asText("");
            String state = node.path("state").asText("");
            String redirect = node.path("redirect_uri").asText("");
            String created = node.path("created_at").asText("");
            if (verifier.isEmpty() || redirect.isEmpty() || created.isEmpty()) {
                throw new IOException(file.getFileName() + " lacks verifier, redirect_uri or created_at");
            }
            return Optional.of(new PendingLogin(verifier, state, redirect, parseTime(created)));
        } catch (IOException | DateTimeParseException e) {
            throw new IOException(file.getFileName() + " is malformed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean clear(OAuthProvider provider) throws IOException {
        return Files.deleteIfExists(file(provider));
    }

    private static Instant parseTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant(); // older files carry local offsets, e.g. +08:00
        }
    }
}
