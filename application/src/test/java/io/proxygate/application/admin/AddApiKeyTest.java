package io.proxygate.application.admin;

import io.proxygate.domain.credential.ApiKeyType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddApiKeyTest {
    @Test
    void aValidKeyBecomesAnEnabledCredential() {
        AddApiKey add = AddApiKey.of(" openai-2 ", "  Backup ", "azure-openai", " sk-test-key ",
                "https://example.openai.azure.com/openai");
        assertThat(add.toCredential().keyId()).isEqualTo("openai-2");
        assertThat(add.toCredential().name()).isEqualTo("Backup");
        assertThat(add.toCredential().type()).isEqualTo(ApiKeyType.AZURE_OPENAI);
        assertThat(add.toCredential().key().reveal()).isEqualTo("sk-test-key");
        assertThat(add.toCredential().disabled()).isFalse();
    }

    @Test
    void aBlankTypeMeansOpenAiAsInTheOriginalsFiles() {
        assertThat(AddApiKey.of("k", null, "", "sk-test-1", null).type()).isEqualTo(ApiKeyType.OPENAI);
    }

    @Test
    void unsafeIdsUnroutedTypesBadKeysAndBadUrlsAreRefusedWithoutEchoingTheKey() {
        assertInvalid(() -> AddApiKey.of("../etc", null, "openai", "sk-test-1", null), "id");
        assertInvalid(() -> AddApiKey.of("a b", null, "openai", "sk-test-1", null), "id");
        assertInvalid(() -> AddApiKey.of("", null, "openai", "sk-test-1", null), "id");
        assertInvalid(() -> AddApiKey.of(".hidden", null, "openai", "sk-test-1", null), "'.'");
        assertInvalid(() -> AddApiKey.of("k", null, "gemini", "sk-test-1", null), "type");
        assertInvalid(() -> AddApiKey.of("k", null, "nonsense", "sk-test-1", null), "type");
        assertInvalid(() -> AddApiKey.of("k", null, "openai", "sk-test with-space", null), "api_key");
        assertInvalid(() -> AddApiKey.of("k", null, "openai", "", null), "api_key");
        assertInvalid(() -> AddApiKey.of("k", null, "openai", "sk-test-1", "file:///etc/passwd"), "base_url");
        assertInvalid(() -> AddApiKey.of("k", null, "openai", "sk-test-1", "not a url"), "base_url");
    }

    private static void assertInvalid(Runnable action, String mentions) {
        assertThatThrownBy(action::run).isInstanceOf(AdminFailure.class)
                .satisfies(e -> assertThat(((AdminFailure) e).kind()).isEqualTo(AdminFailure.Kind.INVALID))
                .hasMessageContaining(mentions).hasMessageNotContaining("sk-test");
    }
}
