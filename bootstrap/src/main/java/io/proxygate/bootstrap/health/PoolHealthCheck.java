package io.proxygate.bootstrap.health;

import com.codahale.metrics.health.HealthCheck;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.Credential;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code pool}: unhealthy when the pool has credential files but none can serve a request, because every file was
 * skipped (unreadable, malformed, duplicate) or every loaded credential is disabled. An empty pool is healthy: a
 * fresh install has no accounts yet, and that is a setup step, not a failure.
 */
public final class PoolHealthCheck extends HealthCheck {
    private final Supplier<CredentialPool.Snapshot> snapshot;

    public PoolHealthCheck(Supplier<CredentialPool.Snapshot> snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    }

    @Override
    protected Result check() {
        CredentialPool.Snapshot pool = snapshot.get();
        List<Credential> credentials = pool.credentials();
        List<PoolFile> skipped = pool.problems();
        long enabled = credentials.stream().filter(c -> !c.disabled()).count();
        if (credentials.isEmpty() && !skipped.isEmpty()) {
            return Result.unhealthy("no usable credential: all %d pool files skipped (first: %s)", skipped.size(),
                    describe(skipped.get(0)));
        }
        if (!credentials.isEmpty() && enabled == 0) {
            return Result.unhealthy("all %d credentials are disabled", credentials.size());
        }
        String summary = credentials.size() + " credentials" + (enabled < credentials.size()
                ? ", " + (credentials.size() - enabled) + " disabled" : "");
        return skipped.isEmpty() ? Result.healthy(summary)
                : Result.healthy("%s, %d pool files skipped", summary, skipped.size());
    }

    private static String describe(PoolFile file) {
        return file.path() + ": " + file.problem().orElse("unreadable");
    }
}
