package io.proxygate.adapter.out.persistence.pool;

import io.proxygate.application.port.out.CredentialImportPort.ImportRejected;
import io.proxygate.domain.credential.ClaudeAccount;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonCredentialImporterTest {
    private final JsonCredentialImporter importer =
            new JsonCredentialImporter(InstantSource.fixed(Instant.parse("2025-06-01T00:00:00Z")));

    @Test
    void readsClaudeCodeCredentialsWithAnEmail() throws ImportRejected {
        ClaudeAccount account = importer.claudeAccount(bytes("""
                {"claudeAiOauth": {"accessToken": "fake-access-token", "refreshToken": "fake-refresh-token",
                 "expiresAt": 1893456000000, "subscriptionType": "max", "email": "cc@example.com"}}"""));

        assertThat(account.email()).isEqualTo("cc@example.com");
        assertThat(account.subscriptionType()).isEqualTo("max");
        assertThat(account.tokens().accessToken().reveal()).isEqualTo("fake-access-token");
        assertThat(account.tokens().refreshToken()).isPresent();
    }

    @Test
    void readsAFlatAccountObject() throws ImportRejected {
        ClaudeAccount account = importer.claudeAccount(bytes(
                "{\"email\":\"flat@example.com\",\"access_token\":\"fake-access-token\",\"refresh_token\":\"fake-r\"}"));

        assertThat(account.email()).isEqualTo("flat@example.com");
    }

    @Test
    void rejectsWithTheOriginalsMessages() {
        assertThatThrownBy(() -> importer.claudeAccount(bytes("{not json"))).isInstanceOf(ImportRejected.class)
                .hasMessage("invalid JSON");
        assertThatThrownBy(() -> importer.claudeAccount(bytes("[1,2]"))).hasMessage("invalid JSON");
        assertThatThrownBy(() -> importer.claudeAccount(bytes("{\"claudeAiOauth\":{\"accessToken\":\"fake-a\"}}")))
                .hasMessage("missing email field");
        assertThatThrownBy(() -> importer.claudeAccount(bytes("{\"email\":\"x@example.com\"}")))
                .hasMessage("missing access_token field");
        assertThatThrownBy(() -> importer.claudeAccount(new byte[JsonCredentialImporter.MAX_BYTES + 1]))
                .hasMessageContaining("64 KiB");
    }

    @Test
    void anExpiredTokenWithoutRefreshTokenIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> importer.claudeAccount(bytes(
                "{\"email\":\"old@example.com\",\"access_token\":\"fake-secret-token\",\"expires_at\":\"2020-01-01T00:00:00Z\"}")))
                .isInstanceOf(ImportRejected.class)
                .hasMessageContaining("log in again")
                .hasMessageNotContaining("fake-secret-token");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
