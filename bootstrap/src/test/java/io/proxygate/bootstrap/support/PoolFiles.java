package io.proxygate.bootstrap.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes pool files in the Go original's formats, with obviously fake secrets. */
public final class PoolFiles {
    private PoolFiles() {
    }

    public static void chatgpt(Path pool, String email, String accountId, String plan) throws IOException {
        write(pool.resolve("chatgpt").resolve(email.replace('@', '_') + ".json"), """
                {"email":"%s","account_id":"%s","plan_type":"%s","access_token":"fake-access-%s",
                 "refresh_token":"fake-refresh","expires_at":"2099-12-31T00:00:00Z","created_at":"2026-04-26T00:00:00Z"}
                """.formatted(email, accountId, plan, accountId));
    }

    public static void claude(Path pool, String email) throws IOException {
        write(pool.resolve("claude").resolve(email.replace('@', '_') + ".json"), """
                {"email":"%s","account_id":"claude-acc","subscription_type":"max",
                 "access_token":"sk-ant-oat01-fake-%s","refresh_token":"sk-ant-ort01-fake",
                 "expires_at":"2099-12-31T00:00:00Z"}
                """.formatted(email, email.hashCode()));
    }

    public static void key(Path pool, String id, String type, String secret) throws IOException {
        write(pool.resolve("apikeys").resolve(id + ".json"),
                "{\"id\":\"%s\",\"type\":\"%s\",\"api_key\":\"%s\"}".formatted(id, type, secret));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
