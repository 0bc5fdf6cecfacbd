package io.proxygate.adapter.out.upstream.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.FileNames;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A small file-backed pool directory for tests (the real store lives in adapters-persistence): the original's
 * account JSON layout in {@code chatgpt/} and {@code claude/}, atomic 0600 writes, unknown fields kept on update.
 */
final class FilePoolDirectory implements PoolDirectoryPort {
    private final Path root;
    private final ObjectMapper json = new ObjectMapper();
    final AtomicInteger writes = new AtomicInteger();

    FilePoolDirectory(Path root) {
        this.root = root;
    }

    Path chatgptFile(String email) {
        return root.resolve("chatgpt").resolve(FileNames.sanitize(email) + ".json");
    }

    Path claudeFile(String email) {
        return root.resolve("claude").resolve(FileNames.sanitize(email) + ".json");
    }

    JsonNode read(Path file) {
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<PoolFile> scan() {
        List<PoolFile> files = new ArrayList<>();
        for (String kind : List.of("chatgpt", "claude")) {
            Path dir = root.resolve(kind);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> list = Files.list(dir)) {
                for (Path file : list.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    try {
                        files.add(PoolFile.loaded(file.toString(), parse(kind, read(file))));
                    } catch (RuntimeException e) {
                        files.add(PoolFile.broken(file.toString(), e.getMessage()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static Credential parse(String kind, JsonNode n) {
        OAuthTokens tokens = new OAuthTokens(Secret.of(n.path("access_token").asText()),
                optSecret(n, "refresh_token"), optSecret(n, "id_token"), optTime(n, "expires_at"));
        if (kind.equals("chatgpt")) {
            return new ChatGptAccount(n.path("email").asText(), n.path("account_id").asText(),
                    PlanType.parse(n.path("plan_type").asText()), tokens, optTime(n, "created_at"),
                    n.path("disabled").asBoolean(false));
        }
        return new ClaudeAccount(n.path("email").asText(), n.path("account_id").asText(),
                n.path("subscription_type").asText(), n.path("rate_limit_tier").asText(), tokens,
                optTime(n, "created_at"), n.path("disabled").asBoolean(false));
    }

    private static Optional<Secret> optSecret(JsonNode n, String field) {
        String value = n.path(field).asText("");
        return value.isBlank() ? Optional.empty() : Optional.of(Secret.of(value));
    }

    private static Optional<Instant> optTime(JsonNode n, String field) {
        String value = n.path(field).asText("");
        return value.isBlank() ? Optional.empty() : Optional.of(Instant.parse(value));
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        return () -> {
        };
    }

    @Override
    public void update(String path, Credential updated) {
        Path file = Path.of(path);
        ObjectNode node = Files.exists(file) ? (ObjectNode) read(file) : json.createObjectNode();
        fill(node, updated);
        write(file, node);
    }

    @Override
    public String add(Credential credential) {
        Path file = switch (credential) {
            case ChatGptAccount a -> chatgptFile(a.email());
            case ClaudeAccount a -> claudeFile(a.email());
            case ApiKey k -> throw new IllegalArgumentException("keys are not used in these tests");
        };
        ObjectNode node = json.createObjectNode();
        fill(node, credential);
        write(file, node);
        return file.toString();
    }

    @Override
    public void delete(String path) {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fill(ObjectNode node, Credential credential) {
        switch (credential) {
            case ChatGptAccount a -> {
                node.put("email", a.email());
                node.put("account_id", a.accountId());
                node.put("plan_type", a.plan().wireName());
                tokens(node, a.tokens());
                a.createdAt().ifPresent(t -> node.put("created_at", t.toString()));
                node.put("disabled", a.disabled());
            }
            case ClaudeAccount a -> {
                node.put("email", a.email());
                node.put("account_id", a.accountId());
                node.put("subscription_type", a.subscriptionType());
                node.put("rate_limit_tier", a.rateLimitTier());
                tokens(node, a.tokens());
                a.createdAt().ifPresent(t -> node.put("created_at", t.toString()));
                node.put("disabled", a.disabled());
            }
            case ApiKey k -> throw new IllegalArgumentException("keys are not used in these tests");
        }
    }

    private static void tokens(ObjectNode node, OAuthTokens tokens) {
        node.put("access_token", tokens.accessToken().reveal());
        tokens.refreshToken().ifPresentOrElse(t -> node.put("refresh_token", t.reveal()),
                () -> node.remove("refresh_token"));
        tokens.idToken().ifPresentOrElse(t -> node.put("id_token", t.reveal()), () -> node.remove("id_token"));
        tokens.expiresAt().ifPresentOrElse(t -> node.put("expires_at", t.toString()), () -> node.remove("expires_at"));
    }

    private void write(Path file, ObjectNode node) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".tmp-", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            writes.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
