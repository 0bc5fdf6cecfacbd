package io.proxygate.bootstrap.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes pool files in the Go original's formats, with obviously fake secrets. */
public final class PoolFiles {
    private PoolFiles() {
    }

    /** What a test puts in its pool folder. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Path pool) throws IOException;
    }

    /**
     * A new temp directory (named from {@code prefix}) to run the application in, with {@code contents} written to
     * its {@code pool} folder; failing unchecked, for the static initialisers that start a test's application.
     */
    public static Path tempRoot(String prefix, Contents contents) {
        try {
            Path root = Files.createTempDirectory(prefix);
            contents.writeTo(root.resolve("pool"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The two ChatGPT accounts most system tests route between: "alpha" (pro, the first pick) and "beta" (plus), with
     * account ids {@code acc-alpha} and {@code acc-beta}.
     */
    public static void alphaAndBeta(Path pool) throws IOException {
        chatgpt(pool, "alpha@x.com", "acc-alpha", "pro");
        chatgpt(pool, "beta@x.com", "acc-beta", "plus");
    }

    public static void chatgpt(Path pool, String email, String accountId, String plan) throws IOException {
        write(pool.resolve("chatgpt").resolve(email.replace('@', '_') + ".json"), """
                {"email":"%s","account_id":"%s","plan_type":"%s","access_token":"fake-access-%s",
                 "refresh_token":"fake-refresh","expires_at":"2099-12-31T00:00:00Z","created_at":"2026-04-26T00:00:00Z"}
                """.formatted(email, accountId, plan, accountId));
    }

    /**
     * A ChatGPT account {@code name@x.com} (pro, account id {@code acc-name}) holding exactly the given tokens: for
     * the tests that look for those tokens afterwards, where {@link #chatgpt}'s made-up ones would not do.
     */
    public static void chatgptWithTokens(Path pool, String name, String accessToken, String refreshToken)
            throws IOException {
        write(pool.resolve("chatgpt").resolve(name + "_x.com.json"), """
                {"email":"%1$s@x.com","account_id":"acc-%1$s","plan_type":"pro","access_token":"%2$s",
                 "refresh_token":"%3$s","expires_at":"2099-01-01T00:00:00Z"}
                """.formatted(name, accessToken, refreshToken));
    }

    public static void claude(Path pool, String email) throws IOException {
        write(pool.resolve("claude").resolve(email.replace('@', '_') + ".json"), """
                {"email":"%s","account_id":"claude-acc","subscription_type":"max",
                 "access_token":"sk-ant-oat01-fake-%s","refresh_token":"sk-ant-ort01-fake",
                 "expires_at":"2099-12-31T00:00:00Z"}
                """.formatted(email, email.hashCode()));
    }

    /** A disabled Claude account with no plan details ({@code name@x.com}). */
    public static void disabledClaude(Path pool, String name) throws IOException {
        write(pool.resolve("claude").resolve(name + "_x.com.json"), """
                {"email":"%1$s@x.com","access_token":"sk-ant-oat01-fake-%1$s","refresh_token":"sk-ant-ort01-fake",
                 "expires_at":"2099-12-31T00:00:00Z","disabled":true}
                """.formatted(name));
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
