package io.proxygate.bootstrap.health;

import com.codahale.metrics.health.HealthCheck;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PoolHealthCheckTest {
    private static ApiKey key(String id, boolean disabled) {
        return new ApiKey(id, id, ApiKeyType.OPENAI, Secret.of("sk-test-" + id), Optional.empty(), disabled);
    }

    private static HealthCheck.Result check(List<ApiKey> keys, List<PoolFile> problems) {
        Map<io.proxygate.domain.credential.CredentialId, PoolEntry> entries = new LinkedHashMap<>();
        for (ApiKey k : keys) {
            entries.put(k.id(), new PoolEntry(k, "/pool/apikeys/" + k.keyId() + ".json"));
        }
        CredentialPool.Snapshot snapshot = new CredentialPool.Snapshot(entries, problems);
        return new PoolHealthCheck(() -> snapshot).execute();
    }

    @Test
    void anEmptyPoolIsHealthy() {
        HealthCheck.Result result = check(List.of(), List.of());

        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).isEqualTo("0 credentials");
    }

    @Test
    void aPoolWithAUsableCredentialIsHealthyEvenWithSkippedFiles() {
        HealthCheck.Result result = check(List.of(key("a", false), key("b", true)),
                List.of(PoolFile.broken("/pool/apikeys/bad.json", "not JSON")));

        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).isEqualTo("2 credentials, 1 disabled, 1 pool files skipped");
    }

    @Test
    void filesThatAllFailToLoadAreUnhealthy() {
        HealthCheck.Result result = check(List.of(), List.of(PoolFile.broken("/pool/apikeys/bad.json", "not JSON"),
                PoolFile.broken("/pool/chatgpt/x.json", "no access_token")));

        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage())
                .isEqualTo("no usable credential: all 2 pool files skipped (first: /pool/apikeys/bad.json: not JSON)");
    }

    @Test
    void aPoolWhoseCredentialsAreAllDisabledIsUnhealthy() {
        HealthCheck.Result result = check(List.of(key("a", true), key("b", true)), List.of());

        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).isEqualTo("all 2 credentials are disabled");
    }
}
