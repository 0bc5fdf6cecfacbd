package io.proxygate.adapter.out.persistence.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.testsupport.FakeJwt;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialKind;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolDirectoryStoreTest {
    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    @TempDir
    Path pool;

    private PoolDirectoryStore store;

    @BeforeEach
    void setUp() {
        store = new PoolDirectoryStore(pool, InstantSource.fixed(NOW));
    }

    // ---- reading existing files (Go zero times, provider for type, facts from claims) ----

    @Test
    void staleTempFilesOfDeadWritersAreRemovedAtStart() throws Exception {
        Path chatgpt = pool.resolve("chatgpt");
        Path dead = chatgpt.resolve(".a_example.com.json." + Integer.MAX_VALUE + ".1f2e.tmp");
        Path mine = chatgpt.resolve(".b_example.com.json." + ProcessHandle.current().pid() + ".1f2f.tmp");
        long livePid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        Path live = pool.resolve("apikeys").resolve(".k1.json." + livePid + ".aa.tmp");
        Path other = chatgpt.resolve(".notes.tmp");
        for (Path p : new Path[]{dead, mine, live, other}) {
            java.nio.file.Files.writeString(p, "{\"access_token\":\"secret\"}");
        }
        assertThat(store.removeStaleTempFiles()).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(mine).exists();
        assertThat(live).exists();
        assertThat(other).exists();
    }

    @Test
    void loadsChatGptFileAsTheOriginalWroteIt() throws IOException {
        write("chatgpt/alice_example.com.json", """
                {
                  "email": "alice@example.com",
                  "account_id": "acct-fake-1",
                  "plan_type": "pro",
                  "access_token": "fake-access-token",
                  "refresh_token": "fake-refresh-token",
                  "id_token": "fake-id-token",
                  "expires_at": "2025-07-01T08:00:00.123456789+08:00",
                  "created_at": "0001-01-01T00:00:00Z"
                }""");

        ChatGptAccount account = (ChatGptAccount) only(store.scan());

        assertIdentity(account, "alice@example.com", "acct-fake-1", PlanType.PRO);
        assertThat(account.tokens().accessToken().reveal()).isEqualTo("fake-access-token");
        assertThat(account.tokens().refreshToken()).contains(Secret.of("fake-refresh-token"));
        assertThat(account.tokens().idToken()).contains(Secret.of("fake-id-token"));
        assertThat(account.tokens().expiresAt()).contains(Instant.parse("2025-07-01T00:00:00.123456789Z"));
        assertThat(account.createdAt()).as("Go's zero time means unset").isEmpty();
        assertThat(account.disabled()).isFalse();
    }

    @Test
    void derivesChatGptEmailAccountAndPlanFromAccessTokenClaims() throws IOException {
        ChatGptAccount account = onlyChatGpt("chatgpt/claims.json", """
                {"access_token": "%s", "refresh_token": "fake-refresh-token", "plan_type": ""}"""
                .formatted(FakeJwt.chatGpt("claims@example.com", "acct-from-claims", "plus")));

        assertIdentity(account, "claims@example.com", "acct-from-claims", PlanType.PLUS);
    }

    @Test
    void derivesChatGptFactsFromIdTokenWhenAccessTokenIsOpaque() throws IOException {
        ChatGptAccount account = onlyChatGpt("chatgpt/id.json", """
                {"access_token": "fake-opaque-access", "refresh_token": "fake-refresh-token", "id_token": "%s"}"""
                .formatted(FakeJwt.chatGpt("id@example.com", "acct-from-id", "team")));

        assertIdentity(account, "id@example.com", "acct-from-id", PlanType.TEAM);
    }

    @Test
    void fileFieldsWinOverClaims() throws IOException {
        ChatGptAccount account = onlyChatGpt("chatgpt/both.json", """
                {"email": "file@example.com", "account_id": "acct-file", "plan_type": "Enterprise",
                 "access_token": "%s", "refresh_token": "fake-refresh-token"}"""
                .formatted(FakeJwt.chatGpt("claims@example.com", "acct-claims", "free")));

        assertIdentity(account, "file@example.com", "acct-file", PlanType.ENTERPRISE);
    }

    @Test
    void loadsMinimalAndFullClaudeFiles() throws IOException {
        write("claude/min.json", """
                {"email": "min@example.com", "access_token": "sk-ant-oat01-fake-min"}""");
        write("claude/full.json", """
                {"email": "full@example.com", "account_id": "acct-fake", "subscription_type": "max",
                 "rate_limit_tier": "default_claude_max_20x", "access_token": "sk-ant-oat01-fake-full",
                 "refresh_token": "sk-ant-ort01-fake", "expires_at": "2025-06-01T05:00:00Z",
                 "created_at": "2025-05-01T00:00:00Z", "disabled": true}""");

        List<PoolFile> files = sorted(store.scan());
        ClaudeAccount full = (ClaudeAccount) files.get(0).credential().orElseThrow();
        ClaudeAccount min = (ClaudeAccount) files.get(1).credential().orElseThrow();

        assertThat(min.email()).isEqualTo("min@example.com");
        assertThat(min.tokens().refreshToken()).isEmpty();
        assertThat(min.tokens().expiresAt()).isEmpty();
        assertThat(min.subscriptionType()).isEmpty();
        assertThat(full.accountId()).isEqualTo("acct-fake");
        assertThat(full.subscriptionType()).isEqualTo("max");
        assertThat(full.rateLimitTier()).isEqualTo("default_claude_max_20x");
        assertThat(full.tokens().expiresAt()).contains(Instant.parse("2025-06-01T05:00:00Z"));
        assertThat(full.createdAt()).contains(Instant.parse("2025-05-01T00:00:00Z"));
        assertThat(full.disabled()).isTrue();
    }

    @Test
    void loadsApiKeysOfEveryTypeIncludingProviderSpelling() throws IOException {
        write("apikeys/default.json", """
                {"api_key": "sk-test-default"}""");
        write("apikeys/azure.json", """
                {"id": "az", "name": "Azure Prod", "type": "azure-openai", "api_key": "sk-test-azure",
                 "base_url": "https://fake-resource.openai.azure.example"}""");
        write("apikeys/claude-key.json", """
                {"id": "ant", "provider": "Anthropic", "api_key": "sk-ant-test-key"}""");
        write("apikeys/gem.json", """
                {"id": "gem", "type": "gemini", "api_key": "fake-gemini-key"}""");

        List<ApiKey> keys = sorted(store.scan()).stream().map(f -> (ApiKey) f.credential().orElseThrow()).toList();

        assertThat(keys).extracting(ApiKey::keyId).containsExactly("az", "ant", "default", "gem");
        ApiKey azure = keys.get(0);
        assertThat(azure.type()).isEqualTo(ApiKeyType.AZURE_OPENAI);
        assertThat(azure.name()).isEqualTo("Azure Prod");
        assertThat(azure.baseUrl()).contains("https://fake-resource.openai.azure.example");
        assertThat(keys.get(1).type()).isEqualTo(ApiKeyType.ANTHROPIC);
        assertThat(keys.get(1).kind()).isEqualTo(CredentialKind.ANTHROPIC_KEY);
        ApiKey byDefault = keys.get(2);
        assertThat(byDefault.type()).as("missing type is openai").isEqualTo(ApiKeyType.OPENAI);
        assertThat(byDefault.name()).as("name defaults to id").isEqualTo("default");
        assertThat(byDefault.baseUrl()).isEmpty();
        assertThat(keys.get(3).kind()).isEqualTo(CredentialKind.UNSUPPORTED_KEY);
    }

    @Test
    void reportsEachBrokenFileWithAReasonAndKeepsLoadingTheRest() throws IOException {
        write("apikeys/good.json", """
                {"api_key": "sk-test-good"}""");
        write("apikeys/bad-json.json", "{\"api_key\": sk-test-leaked-secret");
        write("apikeys/no-key.json", "{\"id\": \"x\"}");
        write("apikeys/unknown-type.json", "{\"type\": \"mystery\", \"api_key\": \"sk-test-x\"}");
        write("apikeys/array.json", "[1, 2]");
        write("apikeys/empty.json", "");
        write("apikeys/wrong-field-type.json", "{\"api_key\": 42}");
        write("apikeys/bad-flag.json", "{\"api_key\": \"sk-test-flag\", \"disabled\": \"yes\"}");
        write("chatgpt/no-token.json", "{\"email\": \"a@example.com\"}");
        write("chatgpt/no-email.json", "{\"access_token\": \"fake-opaque\", \"refresh_token\": \"fake-r\"}");
        write("chatgpt/expired.json", """
                {"email": "old@example.com", "access_token": "fake-old", "expires_at": "2025-05-01T00:00:00Z"}""");
        write("claude/no-email.json", "{\"access_token\": \"sk-ant-oat01-fake\"}");
        write("claude/bad-time.json", """
                {"email": "t@example.com", "access_token": "sk-ant-oat01-fake", "expires_at": "tomorrow"}""");

        List<PoolFile> files = store.scan();

        assertThat(files).filteredOn(f -> f.credential().isPresent()).hasSize(1);
        assertThat(problem(files, "apikeys/bad-json.json")).startsWith("not valid JSON (line 1")
                .doesNotContain("leaked");
        assertThat(problem(files, "apikeys/no-key.json")).isEqualTo("missing api_key");
        assertThat(problem(files, "apikeys/unknown-type.json")).contains("unknown type \"mystery\"")
                .contains("openai, azure-openai");
        assertThat(problem(files, "apikeys/array.json")).isEqualTo("top level must be a JSON object");
        assertThat(problem(files, "apikeys/empty.json")).isEqualTo("file is empty");
        assertThat(problem(files, "apikeys/wrong-field-type.json")).isEqualTo("\"api_key\" must be a string");
        assertThat(problem(files, "apikeys/bad-flag.json")).isEqualTo("\"disabled\" must be true or false");
        assertThat(problem(files, "chatgpt/no-token.json")).isEqualTo("missing access_token");
        assertThat(problem(files, "chatgpt/no-email.json")).startsWith("missing email");
        assertThat(problem(files, "chatgpt/expired.json"))
                .isEqualTo("access token expired at 2025-05-01T00:00:00Z and there is no refresh_token: log in again");
        assertThat(problem(files, "claude/no-email.json")).isEqualTo("missing email");
        assertThat(problem(files, "claude/bad-time.json")).isEqualTo("\"expires_at\" is not an RFC 3339 time");
    }

    @Test
    void expiredTokenWithRefreshTokenStillLoads() throws IOException {
        write("claude/refreshable.json", """
                {"email": "r@example.com", "access_token": "sk-ant-oat01-fake", "refresh_token": "sk-ant-ort01-fake",
                 "expires_at": "2025-05-01T00:00:00Z"}""");

        assertThat(only(store.scan()).label()).isEqualTo("r@example.com");
    }

    // ---- rescans reuse what did not change ----

    @Test
    void aRescanSeesAFileRewrittenInPlaceAndOneReplacedByRename() throws IOException {
        write("apikeys/k1.json", "{\"id\": \"k1\", \"type\": \"openai\", \"api_key\": \"sk-test-one\"}");
        write("apikeys/k2.json", "{\"id\": \"k2\", \"type\": \"openai\", \"api_key\": \"sk-test-two\"}");
        assertThat(store.scan()).hasSize(2).allSatisfy(f -> assertThat(f.credential().orElseThrow().disabled()).isFalse());

        // In place (same inode, new size and time), and through a temporary file renamed over it (new inode).
        write("apikeys/k1.json", "{\"id\": \"k1\", \"type\": \"openai\", \"api_key\": \"sk-test-one\", \"disabled\": true}");
        Path tmp = pool.resolve("apikeys/.k2.json.tmp");
        Files.writeString(tmp, "{\"id\": \"k2\", \"type\": \"openai\", \"api_key\": \"sk-test-two\", \"disabled\": true}");
        Files.move(tmp, pool.resolve("apikeys/k2.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(store.scan()).hasSize(2).allSatisfy(f -> assertThat(f.credential().orElseThrow().disabled()).isTrue());
        Files.delete(pool.resolve("apikeys/k1.json"));
        assertThat(store.scan()).extracting(f -> f.credential().orElseThrow().label()).containsExactly("k2");
    }

    @Test
    void anUnchangedFileWhoseTokenCannotBeRefreshedIsRejectedOnceTheTokenExpires() throws IOException {
        Instant[] now = {NOW};
        PoolDirectoryStore ticking = new PoolDirectoryStore(pool, () -> now[0]);
        write("claude/short.json", """
                {"email": "s@example.com", "access_token": "sk-ant-oat01-fake", "expires_at": "2025-06-01T01:00:00Z"}""");
        assertThat(only(ticking.scan()).label()).isEqualTo("s@example.com");

        now[0] = Instant.parse("2025-06-01T02:00:00Z");

        List<PoolFile> later = ticking.scan();
        assertThat(later).hasSize(1);
        assertThat(later.get(0).problem()).hasValueSatisfying(p -> assertThat(p).startsWith("access token expired"));
    }

    @Test
    void ignoresHiddenFilesOtherExtensionsAndFolders() throws IOException {
        write("apikeys/.swap.json", "{\"api_key\": \"sk-test-hidden\"}");
        write("apikeys/notes.txt", "not a credential");
        write("apikeys/backup.json.bak", "{\"api_key\": \"sk-test-bak\"}");
        Files.createDirectories(pool.resolve("apikeys/folder.json"));

        assertThat(store.scan()).isEmpty();
    }

    @Test
    void missingFolderIsAnEmptyPoolNotAnError() throws IOException {
        Files.delete(pool.resolve("claude"));

        assertThat(store.scan()).isEmpty();
    }

    // ---- writing ----

    @Test
    void createsTheThreeFoldersOwnerOnly() throws IOException {
        Path fresh = pool.resolve("fresh-pool");

        new PoolDirectoryStore(fresh, InstantSource.fixed(NOW));

        for (String folder : List.of("chatgpt", "claude", "apikeys")) {
            assertThat(mode(fresh.resolve(folder))).isEqualTo("rwx------");
        }
        assertThat(mode(fresh)).isEqualTo("rwx------");
    }

    @Test
    void addWritesAnOwnerOnlyIndentedFileNamedAfterTheEmail() throws IOException {
        ChatGptAccount account = chatGpt("bob+work@example.com");

        String path = store.add(account);

        Path file = Path.of(path);
        assertThat(file).isEqualTo(pool.resolve("chatgpt/bob_work_example.com.json"));
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(file.getParent())).isEqualTo("rwx------");
        String text = Files.readString(file);
        assertThat(text).startsWith("{\n  \"email\": \"bob+work@example.com\",\n  \"account_id\": \"acct-fake\",")
                .doesNotContain(" : ").endsWith("}\n");
        assertThat(only(store.scan())).isEqualTo(account);
        assertThat(listing(file.getParent())).containsExactly("bob_work_example.com.json");
    }

    @Test
    void addRoundTripsEveryKind() {
        ClaudeAccount claude = new ClaudeAccount("c@example.com", "acct-c", "pro", "tier-1",
                new OAuthTokens(Secret.of("sk-ant-oat01-fake"), Optional.of(Secret.of("sk-ant-ort01-fake")),
                        Optional.empty(), Optional.of(Instant.parse("2025-06-02T00:00:00Z"))),
                Optional.of(Instant.parse("2025-05-01T00:00:00Z")), true);
        ApiKey key = new ApiKey("k1", "Key One", ApiKeyType.ANTHROPIC, Secret.of("sk-ant-test-k1"),
                Optional.of("https://fake.example/v1"), false);

        store.add(claude);
        store.add(key);

        assertThat(store.scan()).extracting(f -> f.credential().orElseThrow()).containsExactlyInAnyOrder(claude, key);
    }

    @Test
    void addNeverTouchesAnExistingFileOfTheSameNameAndWritesANumberedOneInstead() throws IOException {
        String other = "{\"id\": \"other\", \"api_key\": \"sk-test-someone-elses-secret\"}";
        write("apikeys/k1.json", other);
        byte[] before = Files.readAllBytes(pool.resolve("apikeys/k1.json"));

        String path = store.add(new ApiKey("k1", null, ApiKeyType.OPENAI, Secret.of("sk-test-new"), Optional.empty(),
                false));

        assertThat(Files.readAllBytes(pool.resolve("apikeys/k1.json"))).isEqualTo(before);
        assertThat(Path.of(path)).isEqualTo(pool.resolve("apikeys/k1-2.json").toAbsolutePath());
        assertThat(mode(pool.resolve("apikeys/k1-2.json"))).isEqualTo("rw-------");
        assertThat(store.scan()).extracting(f -> ((ApiKey) f.credential().orElseThrow()).key().reveal())
                .containsExactlyInAnyOrder("sk-test-someone-elses-secret", "sk-test-new");
    }

    @Test
    void emailsThatSanitiseAlikeGetDistinctFiles() throws IOException {
        for (String email : List.of("a+b@x.com", "a_b@x.com", "a b@x.com")) {
            store.add(new ClaudeAccount(email, "acct", "pro", "tier",
                    new OAuthTokens(Secret.of("sk-ant-oat01-" + email.hashCode()), Optional.empty(), Optional.empty(),
                            Optional.empty()), Optional.empty(), false));
        }
        try (Stream<Path> files = Files.list(pool.resolve("claude"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("a_b_x.com.json", "a_b_x.com-2.json", "a_b_x.com-3.json");
        }
        assertThat(store.scan()).extracting(f -> ((ClaudeAccount) f.credential().orElseThrow()).email())
                .containsExactlyInAnyOrder("a+b@x.com", "a_b@x.com", "a b@x.com");
    }

    @Test
    void anIdThatWouldMakeAHiddenFileIsRefused() {
        assertThatThrownBy(() -> store.add(new ApiKey(".hidden", null, ApiKeyType.OPENAI, Secret.of("sk-test-h"),
                Optional.empty(), false))).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.resolve("apikeys/.hidden.json")).doesNotExist();
    }

    @Test
    void updateKeepsUnknownFieldsAndTheirOrderAndTightensMode() throws IOException {
        write("claude/c.json", """
                {
                  "note": "kept",
                  "email": "c@example.com",
                  "access_token": "sk-ant-oat01-fake-old",
                  "extra": {"nested": [1, 2]}
                }""");
        Files.setPosixFilePermissions(pool.resolve("claude/c.json"), PosixFilePermissions.fromString("rw-r--r--"));
        ClaudeAccount loaded = (ClaudeAccount) only(store.scan());
        ClaudeAccount refreshed = loaded.withTokens(new OAuthTokens(Secret.of("sk-ant-oat01-fake-new"),
                Optional.of(Secret.of("sk-ant-ort01-fake-new")), Optional.empty(),
                Optional.of(Instant.parse("2025-06-01T08:00:00Z")))).withDisabled(true);

        store.update(pool.resolve("claude/c.json").toString(), refreshed);

        JsonNode json = new ObjectMapper().readTree(pool.resolve("claude/c.json").toFile());
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("note", "email", "access_token", "extra", "refresh_token", "expires_at",
                "disabled");
        assertThat(json.get("note").asText()).isEqualTo("kept");
        assertThat(json.get("extra").get("nested").size()).isEqualTo(2);
        assertThat(json.get("access_token").asText()).isEqualTo("sk-ant-oat01-fake-new");
        assertThat(mode(pool.resolve("claude/c.json"))).isEqualTo("rw-------");
        assertThat(only(store.scan())).isEqualTo(refreshed);
        assertThat(listing(pool.resolve("claude"))).as("no temp files left").containsExactly("c.json");
    }

    @Test
    void updateClearsDisabledAndKeepsProviderSpellingAndUnknownPlanText() throws IOException {
        write("apikeys/p.json", """
                {"id": "p", "provider": "anthropic", "api_key": "sk-ant-test-p", "disabled": true}""");
        write("chatgpt/n.json", """
                {"email": "n@example.com", "plan_type": "ultra-new", "access_token": "fake-a",
                 "refresh_token": "fake-r"}""");
        List<PoolFile> files = sorted(store.scan());

        store.update(files.get(0).path(), files.get(0).credential().orElseThrow().withDisabled(false));
        store.update(files.get(1).path(), files.get(1).credential().orElseThrow().withDisabled(true));

        JsonNode key = new ObjectMapper().readTree(pool.resolve("apikeys/p.json").toFile());
        assertThat(key.has("disabled")).isFalse();
        assertThat(key.get("provider").asText()).isEqualTo("anthropic");
        assertThat(key.has("type")).isFalse();
        JsonNode account = new ObjectMapper().readTree(pool.resolve("chatgpt/n.json").toFile());
        assertThat(account.get("plan_type").asText()).isEqualTo("ultra-new");
        assertThat(account.get("disabled").asBoolean()).isTrue();
    }

    @Test
    void updateOfAMalformedFileReplacesItWhole() throws IOException {
        write("apikeys/m.json", "{not json");

        store.update(pool.resolve("apikeys/m.json").toString(),
                new ApiKey("m", null, ApiKeyType.OPENAI, Secret.of("sk-test-m"), Optional.empty(), false));

        assertThat(only(store.scan()).label()).isEqualTo("m");
    }

    @Test
    void aDeletedFileWaitsInTheDeletedFolderOwnerOnlyAndOutOfThePool() throws IOException {
        ApiKey key = new ApiKey("k1", null, ApiKeyType.OPENAI, Secret.of("sk-test-k1"), Optional.empty(), false);
        String path = store.add(key);
        String original = Files.readString(Path.of(path));

        Optional<String> name = store.moveToDeleted(path);

        assertThat(name).contains("apikeys.k1.20250601T000000000Z.json");
        Path kept = pool.resolve(".deleted").resolve(name.get());
        assertThat(Files.readString(kept)).isEqualTo(original);
        assertThat(mode(kept)).isEqualTo("rw-------");
        assertThat(mode(kept.getParent())).isEqualTo("rwx------");
        assertThat(store.scan()).isEmpty();
        assertThat(store.deleted()).singleElement().satisfies(d -> {
            assertThat(d.folder()).isEqualTo("apikeys");
            assertThat(d.fileName()).isEqualTo("k1.json");
            assertThat(d.deletedAt()).isEqualTo(NOW);
            assertThat(d.content().credential()).contains(key);
        });
    }

    @Test
    void aHandWrittenKeyOpenToOthersIsOwnerOnlyInTheDeletedFolderAndOnceRestored() throws IOException {
        write("apikeys/by-hand.json", "{\"api_key\": \"sk-test-by-hand\"}");
        Path file = pool.resolve("apikeys/by-hand.json");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        String name = store.moveToDeleted(file.toString()).orElseThrow();
        Path kept = pool.resolve(".deleted").resolve(name);
        assertThat(mode(kept)).isEqualTo("rw-------");

        // Deleted by an earlier version, which kept the mode: restoring makes it owner-only too.
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(store.restore(name)).isEqualTo(file.toString());
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void aPoolFolderOpenToOthersIsTightenedLikeItsSubFolders(@TempDir Path elsewhere) throws IOException {
        Files.setPosixFilePermissions(pool, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(pool.resolve("apikeys"), PosixFilePermissions.fromString("rwxrwxr-x"));

        new PoolDirectoryStore(pool, InstantSource.fixed(NOW));

        assertThat(mode(pool)).isEqualTo("rwx------");
        assertThat(mode(pool.resolve("apikeys"))).isEqualTo("rwx------");
        Path fresh = elsewhere.resolve("new").resolve("pool");
        new PoolDirectoryStore(fresh, InstantSource.fixed(NOW));
        assertThat(mode(fresh)).as("created owner-only").isEqualTo("rwx------");
    }

    @Test
    void deletingTheSameNameTwiceInOneInstantKeepsBoth() {
        ChatGptAccount account = chatGpt("twice@example.com");
        String first = store.moveToDeleted(store.add(account)).orElseThrow();
        String second = store.moveToDeleted(store.add(account)).orElseThrow();

        assertThat(second).isNotEqualTo(first).endsWith("-1.json");
        assertThat(store.deleted()).hasSize(2)
                .allSatisfy(d -> assertThat(d.fileName()).isEqualTo("twice_example.com.json"));
    }

    @Test
    void restoreBringsTheFileBackUnderItsOldNameAndNeverOverwrites() throws IOException {
        ApiKey key = new ApiKey("k2", null, ApiKeyType.OPENAI, Secret.of("sk-test-k2"), Optional.empty(), false);
        String path = store.add(key);
        String name = store.moveToDeleted(path).orElseThrow();

        write("apikeys/k2.json", "{\"api_key\": \"sk-test-newer\"}");
        assertThatThrownBy(() -> store.restore(name)).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(Path.of(path))).contains("sk-test-newer");
        assertThat(store.deleted()).hasSize(1);

        Files.delete(Path.of(path));
        assertThat(store.restore(name)).isEqualTo(path);
        assertThat(only(store.scan())).isEqualTo(key);
        assertThat(mode(Path.of(path))).isEqualTo("rw-------");
        assertThat(store.deleted()).isEmpty();
    }

    @Test
    void restoreTakesOnlyANameFromTheDeletedFolder() throws IOException {
        write("apikeys/k3.json", "{\"api_key\": \"sk-test-k3\"}");
        for (String name : List.of("", "../apikeys/k3.json", "apikeys.k3.20250601T000000000Z.json", "x/../y.json")) {
            assertThatThrownBy(() -> store.restore(name)).as(name)
                    .isInstanceOf(java.util.NoSuchElementException.class);
        }
    }

    @Test
    void deleteRemovesTheFile() throws IOException {
        String path = store.add(chatGpt("d@example.com"));

        store.delete(path);

        assertThat(store.scan()).isEmpty();
        assertThat(Files.exists(Path.of(path))).isFalse();
    }

    @Test
    void rejectsPathsOutsideThePoolFolders() throws IOException {
        Path outside = pool.resolveSibling(pool.getFileName() + "-victim.json");
        Files.writeString(outside, "{}");
        ApiKey key = new ApiKey("k", null, ApiKeyType.OPENAI, Secret.of("sk-test-k"), Optional.empty(), false);

        for (String path : List.of(outside.toString(), "apikeys/../../" + outside.getFileName(),
                "apikeys/sub/k.json", "k.json", "apikeys/k.txt", "apikeys/.hidden.json", "")) {
            assertThatThrownBy(() -> store.update(path, key)).as(path).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(path)).as(path).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.update("chatgpt/k.json", key)).as("key into the account folder")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(outside).exists().hasContent("{}");
    }

    @Test
    void addRejectsNamesThatWouldTraverse() {
        for (String email : List.of("../evil@example.com", "a/b@example.com", "..", "a\\b")) {
            assertThatThrownBy(() -> store.add(chatGpt(email))).as(email).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.add(new ApiKey("../../etc/passwd", null, ApiKeyType.OPENAI,
                Secret.of("sk-test-x"), Optional.empty(), false))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.scan()).isEmpty();
    }

    @Test
    void relativePathsResolveAgainstThePoolDirectory() {
        store.add(new ApiKey("rel", null, ApiKeyType.OPENAI, Secret.of("sk-test-rel"), Optional.empty(), false));

        store.delete("apikeys/rel.json");

        assertThat(store.scan()).isEmpty();
    }

    // ---- helpers ----

    static ChatGptAccount chatGpt(String email) {
        return new ChatGptAccount(email, "acct-fake", PlanType.PLUS,
                new OAuthTokens(Secret.of("fake-access-" + email.length()), Optional.of(Secret.of("fake-refresh")),
                        Optional.empty(), Optional.of(Instant.parse("2025-06-01T10:00:00Z"))),
                Optional.of(Instant.parse("2025-05-01T00:00:00Z")), false);
    }

    private void write(String relative, String content) throws IOException {
        Path file = pool.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** The one ChatGPT account the store finds once {@code content} is written as {@code relative}. */
    private ChatGptAccount onlyChatGpt(String relative, String content) throws IOException {
        write(relative, content);
        return (ChatGptAccount) only(store.scan());
    }

    /** Who the account is: the facts every ChatGPT file must yield, whether written in it or read from its tokens. */
    private static void assertIdentity(ChatGptAccount account, String email, String accountId, PlanType plan) {
        assertThat(account.email()).isEqualTo(email);
        assertThat(account.accountId()).isEqualTo(accountId);
        assertThat(account.plan()).isEqualTo(plan);
    }

    private static Credential only(List<PoolFile> files) {
        assertThat(files).hasSize(1);
        assertThat(files.get(0).problem()).isEmpty();
        return files.get(0).credential().orElseThrow();
    }

    private static List<PoolFile> sorted(List<PoolFile> files) {
        return files.stream().sorted(java.util.Comparator.comparing(PoolFile::path)).toList();
    }

    private String problem(List<PoolFile> files, String relative) {
        String path = pool.resolve(relative).toString();
        return files.stream().filter(f -> f.path().equals(path)).findFirst()
                .flatMap(PoolFile::problem).orElseThrow(() -> new AssertionError("no problem reported for " + relative));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
