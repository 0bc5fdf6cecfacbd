package io.proxygate.adapter.out.persistence.pool;

import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Pool files written by someone who means harm: each is skipped with a reason, the rest of the pool loads. */
class HostilePoolFilesTest {
    @TempDir
    Path pool;

    private PoolDirectoryStore store() {
        return new PoolDirectoryStore(pool, InstantSource.fixed(Instant.parse("2025-06-01T00:00:00Z")));
    }

    private void write(String relative, String content) throws IOException {
        Path file = pool.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** An OpenAI key file {@code apikeys/<file>.json}: id {@code id}, secret {@code sk-test-<id>}, {@code baseUrl}. */
    private void keyWithBaseUrl(String file, String id, String baseUrl) throws IOException {
        write("apikeys/" + file + ".json", """
                {"id": "%s", "api_key": "sk-test-%s", "base_url": "%s"}""".formatted(id, id, baseUrl));
    }

    @Test
    void keysWhoseBaseUrlCouldRedirectTheirCallsAreSkippedWithTheReason() throws IOException {
        keyWithBaseUrl("fragment", "f", "http://127.0.0.1:8080/internal/admin#");
        keyWithBaseUrl("userinfo", "u", "https://api.openai.com@evil.example/v1");
        keyWithBaseUrl("scheme", "s", "file:///etc/passwd");
        keyWithBaseUrl("cleartext", "c", "http://gateway.internal.example/v1");
        keyWithBaseUrl("good", "g", "https://fake-resource.openai.azure.example");
        keyWithBaseUrl("local", "l", "http://127.0.0.1:4000/v1");

        List<PoolFile> files = store().scan();

        assertThat(files).filteredOn(f -> f.credential().isPresent())
                .extracting(f -> ((ApiKey) f.credential().orElseThrow()).keyId()).containsExactlyInAnyOrder("g", "l");
        assertThat(problem(files, "apikeys/fragment.json")).contains("fragment");
        assertThat(problem(files, "apikeys/userinfo.json")).contains("user info");
        assertThat(problem(files, "apikeys/scheme.json")).contains("http(s)");
        assertThat(problem(files, "apikeys/cleartext.json")).contains("https");
        assertThat(files).extracting(f -> f.problem().orElse("")).noneMatch(p -> p.contains("sk-test"));
    }

    @Test
    void importedKeysWithABadBaseUrlAreSkippedNotWritten() throws IOException {
        Path export = pool.resolveSibling(pool.getFileName() + "-keys.json");
        Files.writeString(export, """
                {"keys": [{"id": "ok", "apiKey": "sk-test-ok", "baseUrl": "https://api.example/v1"},
                          {"id": "bad", "apiKey": "sk-test-bad", "baseUrl": "https://api.example/v1#"}]}""");

        var result = new CredentialImports(InstantSource.system()).apiKeys(export);

        assertThat(result.credentials()).extracting(c -> ((ApiKey) c).keyId()).containsExactly("ok");
        assertThat(result.skipped()).singleElement().asString().contains("bad").contains("fragment");
    }

    @Test
    void aFifoNamedLikeACredentialIsReportedAndNeverOpened() throws Exception {
        Path fifo = pool.resolve("apikeys/trap.json");
        Files.createDirectories(fifo.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo is available");
        write("apikeys/good.json", "{\"id\": \"g\", \"api_key\": \"sk-test-g\"}");

        List<PoolFile> files = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> store().scan());

        assertThat(files).filteredOn(f -> f.credential().isPresent()).hasSize(1);
        assertThat(problem(files, "apikeys/trap.json")).contains("not a regular file");
    }

    private String problem(List<PoolFile> files, String relative) {
        String path = pool.resolve(relative).toString();
        return files.stream().filter(f -> f.path().equals(path)).findFirst()
                .flatMap(PoolFile::problem).orElseThrow(() -> new AssertionError("no problem reported for " + relative));
    }
}
