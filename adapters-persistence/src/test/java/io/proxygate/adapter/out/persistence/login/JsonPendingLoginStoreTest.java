package io.proxygate.adapter.out.persistence.login;

import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.PendingLogin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonPendingLoginStoreTest {
    @TempDir
    Path tmp;

    private final PendingLogin login = new PendingLogin("fake-verifier-0123456789", "abcdef0123456789",
            "http://localhost:1461/callback", Instant.parse("2026-11-26T10:00:00Z"));

    @Test
    void savedLoginReadsBackFromAnOwnerOnlyFileInAnOwnerOnlyDir() throws IOException {
        JsonPendingLoginStore store = new JsonPendingLoginStore(tmp.resolve("data"));

        store.save(OAuthProvider.CLAUDE, login);

        Path file = tmp.resolve("data/.pending-claude-oauth.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("data"))))
                .isEqualTo("rwx------");
        assertThat(Files.readString(file)).contains("\"redirect_uri\"", "\"created_at\" : \"2026-11-26T10:00:00Z\"");
        assertThat(store.load(OAuthProvider.CLAUDE)).contains(login);
        assertThat(store.load(OAuthProvider.CHATGPT)).isEmpty();
        try (var files = Files.list(tmp.resolve("data"))) {
            assertThat(files).as("no temp files left").hasSize(1);
        }
    }

    @Test
    void saveReplacesAndClearReportsWhetherThereWasOne() throws IOException {
        JsonPendingLoginStore store = new JsonPendingLoginStore(tmp);
        store.save(OAuthProvider.CHATGPT, login);
        PendingLogin newer = new PendingLogin("fake-verifier-2", "ffff", "http://localhost:1455/auth/callback",
                Instant.parse("2026-11-26T10:05:00Z"));

        store.save(OAuthProvider.CHATGPT, newer);

        assertThat(store.load(OAuthProvider.CHATGPT)).contains(newer);
        assertThat(store.clear(OAuthProvider.CHATGPT)).isTrue();
        assertThat(store.clear(OAuthProvider.CHATGPT)).isFalse();
        assertThat(store.load(OAuthProvider.CHATGPT)).isEmpty();
    }

    @Test
    void readsTheOriginalsFileWithALocalOffset() throws IOException {
        Files.writeString(tmp.resolve(".pending-claude-oauth.json"), """
                {"verifier":"v-fake","state":"s1","redirect_uri":"http://localhost:1461/callback",
                 "created_at":"2026-11-26T18:00:00.123456789+08:00"}""");

        PendingLogin loaded = new JsonPendingLoginStore(tmp).load(OAuthProvider.CLAUDE).orElseThrow();

        assertThat(loaded.createdAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00.123456789Z"));
    }

    @Test
    void malformedFileIsAnIoErrorNamingTheFile() throws IOException {
        Files.writeString(tmp.resolve(".pending-chatgpt-oauth.json"), "{not json");

        IOException error = catchThrowableOfType(IOException.class,
                () -> new JsonPendingLoginStore(tmp).load(OAuthProvider.CHATGPT));

        assertThat(error.getMessage()).startsWith(".pending-chatgpt-oauth.json is malformed");
    }
}
