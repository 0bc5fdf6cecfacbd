package io.proxygate.adapter.in.http;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /healthz} is read by probes without a token: it names no absolute path, and only reading methods answer. */
class HealthResourceTest {
    @Test
    void problemFilesAreNamedWithinThePoolFolder() {
        InMemoryPoolDirectory directory = new InMemoryPoolDirectory();
        directory.problems.add(PoolFile.broken("/srv/secret-layout/pool/apikeys/bad.json", "not valid JSON"));
        directory.problems.add(PoolFile.broken("/elsewhere/claude/odd.json", "unreadable"));
        directory.problems.add(PoolFile.broken("chatgpt/already-relative.json", "not valid JSON"));
        CredentialPool pool = new CredentialPool(directory);
        pool.reload();

        Map<String, Object> body = new HealthResource(pool, "test", HealthResource.RequestLogHealth.NONE,
                Path.of("/srv/secret-layout/pool")).get();

        assertThat(((List<?>) body.get("problems")).stream().map(p -> (Object) ((Map<?, ?>) p).get("file")).toList())
                .containsExactlyInAnyOrder((Object) "apikeys/bad.json", "odd.json", "chatgpt/already-relative.json");
        assertThat(body.toString()).doesNotContain("/srv").doesNotContain("/elsewhere");
    }

    @Test
    void writingMethodsAre405WithTheReadingOnesAllowed() {
        HealthResource health = new HealthResource(new CredentialPool(new InMemoryPoolDirectory()), "test");
        for (Response r : List.of(health.post(), health.put(), health.delete(), health.patch())) {
            assertThat(r.getStatus()).isEqualTo(405);
            assertThat(r.getHeaderString("Allow")).isEqualTo("GET, HEAD");
        }
    }
}
