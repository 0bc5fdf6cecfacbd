package io.proxygate.adapter.out.persistence.pool;

import io.proxygate.testsupport.FakeJwt;
import io.proxygate.adapter.out.persistence.testing.TestData;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.CredentialKind;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialImportsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    private final CredentialImports imports = new CredentialImports(InstantSource.fixed(NOW));

    @TempDir
    Path dir;

    @Test
    void importsTheOriginalsV1AccountExport() {
        ImportResult result = imports.v1Accounts(TestData.imports("v1-accounts.json"));

        List<ChatGptAccount> accounts = result.credentials().stream().map(ChatGptAccount.class::cast).toList();
        assertThat(accounts).extracting(ChatGptAccount::email).containsExactly("alice@example.com", "claims@example.com");
        ChatGptAccount alice = accounts.get(0);
        assertThat(alice.accountId()).isEqualTo("acct-fake-1");
        assertThat(alice.plan()).as("planType is lower-cased").isEqualTo(PlanType.PRO);
        assertThat(alice.tokens().accessToken().reveal()).isEqualTo("fake-access-token-v1-a");
        assertThat(alice.tokens().refreshToken()).contains(Secret.of("fake-refresh-token-v1-a"));
        assertThat(alice.tokens().idToken()).isEmpty();
        assertThat(alice.tokens().expiresAt()).as("epoch ms").contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(alice.createdAt()).contains(NOW);
        ChatGptAccount fromClaims = accounts.get(1);
        assertThat(fromClaims.accountId()).isEqualTo("acct-fake-2");
        assertThat(fromClaims.plan()).isEqualTo(PlanType.PLUS);
        assertThat(fromClaims.tokens().expiresAt()).isEmpty();
        assertThat(result.skipped()).containsExactly("entry 3 (nobody@example.com): missing accessToken");
    }

    @Test
    void importsCodexAuthJsonTakingEmailAndPlanFromTheIdToken() {
        ImportResult result = imports.v1Accounts(TestData.imports("codex-auth.json"));

        assertThat(result.skipped()).isEmpty();
        ChatGptAccount account = (ChatGptAccount) result.credentials().get(0);
        assertThat(account.email()).isEqualTo("codex@example.com");
        assertThat(account.accountId()).as("the file's account_id wins over claims").isEqualTo("acct-fake-codex");
        assertThat(account.plan()).isEqualTo(PlanType.TEAM);
        assertThat(account.tokens().refreshToken()).contains(Secret.of("fake-refresh-token-codex"));
        assertThat(account.tokens().idToken()).isPresent();
        assertThat(account.tokens().expiresAt()).as("from the access token's exp")
                .contains(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void codexApiKeyLoginIsSkippedWithAReason() throws IOException {
        ImportResult result = imports.v1Accounts(
                written("auth.json", "{\"OPENAI_API_KEY\": \"sk-test-not-pooled\", \"tokens\": null}"));

        assertThat(result.credentials()).isEmpty();
        assertThat(result.skipped()).singleElement().asString().contains("API-key login").doesNotContain("sk-test");
    }

    @Test
    void skipsAnExpiredAccountThatCannotBeRefreshed() throws IOException {
        Path file = written("v1.json", """
                {"accounts": [{"email": "dead@example.com", "accessToken": "fake-a", "expiresAt": 1000},
                              {"email": "fine@example.com", "accessToken": "%s", "refreshToken": "fake-r"}, 7]}"""
                .formatted(FakeJwt.chatGpt("ignored@example.com", "acct-x", "pro")));

        ImportResult result = imports.v1Accounts(file);

        assertThat(result.credentials()).extracting(c -> c.label()).containsExactly("fine@example.com");
        assertThat(result.skipped()).containsExactly(
                "entry 1 (dead@example.com): access token expired at 1970-01-01T00:00:01Z and there is no refresh token: log in again",
                "entry 3: not a JSON object");
    }

    @Test
    void importsKeysFromTheKeysObjectApplyingTheOriginalsDefaults() {
        ImportResult result = imports.apiKeys(TestData.imports("api-keys.json"));

        List<ApiKey> keys = result.credentials().stream().map(ApiKey.class::cast).toList();
        assertThat(keys).extracting(ApiKey::keyId).containsExactly("work", "team anthropic", "imported-3");
        assertThat(keys.get(0).name()).isEqualTo("Work");
        assertThat(keys.get(0).baseUrl()).as("blank baseUrl is none").isEmpty();
        assertThat(keys.get(1).type()).isEqualTo(ApiKeyType.ANTHROPIC);
        assertThat(keys.get(2).type()).as("missing type is openai").isEqualTo(ApiKeyType.OPENAI);
        assertThat(keys.get(2).key().reveal()).isEqualTo("sk-test-fake-noname");
        assertThat(result.skipped()).containsExactly("entry 4 (empty): empty apiKey",
                "entry 5 (weird): unknown type \"foo\" (known: openai, azure-openai, anthropic, gemini, vertex-ai, "
                        + "moonshot, minimax, zhipu)");
    }

    @Test
    void importsKeysFromABareArray() {
        ImportResult result = imports.apiKeys(TestData.imports("api-keys-array.json"));

        List<ApiKey> keys = result.credentials().stream().map(ApiKey.class::cast).toList();
        assertThat(keys).extracting(ApiKey::keyId).containsExactly("azure-1", "gemini");
        assertThat(keys.get(0).type()).isEqualTo(ApiKeyType.AZURE_OPENAI);
        assertThat(keys.get(0).baseUrl()).contains("https://fake-resource.openai.azure.example");
        assertThat(keys.get(1).kind()).isEqualTo(CredentialKind.UNSUPPORTED_KEY);
        assertThat(result.skipped()).isEmpty();
    }

    @Test
    void importsKeysSpelledAsPoolFilesAre() throws IOException {
        ImportResult result = imports.apiKeys(written("pool-style.json", "{\"keys\": ["
                + "{\"id\": \"openai-1\", \"type\": \"openai\", \"api_key\": \"sk-test-pool-style\"},"
                + "{\"id\": \"claude-1\", \"provider\": \"anthropic\", \"api_key\": \"sk-ant-test-pool\","
                + " \"base_url\": \"https://anthropic.example\"},"
                + "{\"id\": \"both\", \"apiKey\": \"sk-test-camel\", \"api_key\": \"sk-test-snake\"},"
                + "{\"id\": \"blank\", \"api_key\": \"  \"}]}"));

        List<ApiKey> keys = result.credentials().stream().map(ApiKey.class::cast).toList();
        assertThat(keys).extracting(ApiKey::keyId).containsExactly("openai-1", "claude-1", "both");
        assertThat(keys.get(0).key().reveal()).isEqualTo("sk-test-pool-style");
        assertThat(keys.get(1).type()).isEqualTo(ApiKeyType.ANTHROPIC);
        assertThat(keys.get(1).baseUrl()).contains("https://anthropic.example");
        assertThat(keys.get(2).key().reveal()).as("the export's own spelling first").isEqualTo("sk-test-camel");
        assertThat(result.skipped()).containsExactly("entry 4 (blank): empty apiKey");
    }

    @Test
    void skipsKeysWhoseIdCannotBeAFileName() throws IOException {
        ImportResult result = imports.apiKeys(
                written("keys.json", "[{\"id\": \"../escape\", \"apiKey\": \"sk-test-x\"}]"));

        assertThat(result.credentials()).isEmpty();
        assertThat(result.skipped()).singleElement().asString().startsWith("entry 1 (../escape): ");
    }

    @Test
    void importsClaudeCodeCredentialsWithAnEmailOverride() {
        ImportResult result = imports.claude(TestData.imports("claude-credentials.json"),
                Optional.of("me@example.com"));

        ClaudeAccount account = (ClaudeAccount) result.credentials().get(0);
        assertThat(account.email()).isEqualTo("me@example.com");
        assertThat(account.subscriptionType()).isEqualTo("max");
        assertThat(account.tokens().accessToken().reveal()).isEqualTo("sk-ant-oat01-fake-access");
        assertThat(account.tokens().refreshToken()).contains(Secret.of("sk-ant-ort01-fake-refresh"));
        assertThat(account.tokens().expiresAt()).as("epoch ms").contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(account.createdAt()).contains(NOW);
    }

    @Test
    void claudeCodeCredentialsWithoutEmailAskForOne() {
        ImportResult result = imports.claude(TestData.imports("claude-credentials.json"), Optional.empty());

        assertThat(result.credentials()).isEmpty();
        assertThat(result.skipped()).containsExactly("Claude credentials: missing email; pass --email=you@example.com");
    }

    @Test
    void importsAFlatClaudeFileWithEpochSecondsOrRfc3339Expiry() throws IOException {
        Path seconds = dir.resolve("flat-seconds.json");
        Files.writeString(seconds, """
                {"email": "flat@example.com", "account_id": "acct-flat", "subscription_type": "pro",
                 "rate_limit_tier": "tier-fake", "access_token": "sk-ant-oat01-fake", "refresh_token": "sk-ant-ort01-fake",
                 "expires_at": 1767225600}""");
        Path rfc = dir.resolve("native.json");
        Files.writeString(rfc, """
                {"email": "native@example.com", "access_token": "sk-ant-oat01-fake", "refresh_token": "sk-ant-ort01-fake",
                 "expires_at": "2026-01-01T00:00:00Z", "created_at": "2025-01-01T00:00:00Z"}""");

        ClaudeAccount flat = (ClaudeAccount) imports.claude(seconds, Optional.empty()).credentials().get(0);
        ClaudeAccount nativeFile = (ClaudeAccount) imports.claude(rfc, Optional.empty()).credentials().get(0);

        assertThat(flat.accountId()).isEqualTo("acct-flat");
        assertThat(flat.rateLimitTier()).isEqualTo("tier-fake");
        assertThat(flat.tokens().expiresAt()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(nativeFile.tokens().expiresAt()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(nativeFile.createdAt()).contains(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void topLevelFieldsWinOverClaudeCodesNestedOnes() throws IOException {
        Path file = written("mixed.json", """
                {"email": "top@example.com", "access_token": "  ",
                 "claudeAiOauth": {"email": "nested@example.com", "accessToken": "sk-ant-oat01-nested",
                                   "expiresAt": 1767225600000}}""");

        ClaudeAccount account = (ClaudeAccount) imports.claude(file, Optional.empty()).credentials().get(0);

        assertThat(account.email()).isEqualTo("top@example.com");
        assertThat(account.tokens().accessToken().reveal()).as("blank top-level falls through")
                .isEqualTo("sk-ant-oat01-nested");
    }

    @Test
    void aFileThatIsNotJsonOrNotAKnownFormatFailsAsAWhole() throws IOException {
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "sk-test-secret-in-garbage");
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"something\": 1}");

        assertThatThrownBy(() -> imports.v1Accounts(garbage)).isInstanceOf(CredentialImportException.class)
                .hasMessageContaining("not valid JSON").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> imports.v1Accounts(other)).isInstanceOf(CredentialImportException.class)
                .hasMessageContaining("neither a v1 accounts export");
        assertThatThrownBy(() -> imports.apiKeys(other)).isInstanceOf(CredentialImportException.class);
        assertThatThrownBy(() -> imports.apiKeys(dir.resolve("missing.json")))
                .isInstanceOf(CredentialImportException.class).hasMessageContaining("cannot read");
    }

    @Test
    void importedCredentialsRoundTripThroughThePoolDirectory() {
        PoolDirectoryStore store = new PoolDirectoryStore(dir.resolve("pool"), InstantSource.fixed(NOW));
        List<io.proxygate.domain.credential.Credential> all = new java.util.ArrayList<>();
        all.addAll(imports.v1Accounts(TestData.imports("v1-accounts.json")).credentials());
        all.addAll(imports.v1Accounts(TestData.imports("codex-auth.json")).credentials());
        all.addAll(imports.apiKeys(TestData.imports("api-keys.json")).credentials());
        all.addAll(imports.apiKeys(TestData.imports("api-keys-array.json")).credentials());
        all.addAll(imports.claude(TestData.imports("claude-credentials.json"), Optional.of("me@example.com"))
                .credentials());

        all.forEach(store::add);

        assertThat(store.scan()).allSatisfy(f -> assertThat(f.problem()).isEmpty())
                .extracting(f -> f.credential().orElseThrow()).containsExactlyInAnyOrderElementsOf(all);
    }

    /** {@code content} written as {@code name} in the test's directory: a file to import. */
    private Path written(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
