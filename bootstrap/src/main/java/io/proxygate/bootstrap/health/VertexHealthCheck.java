package io.proxygate.bootstrap.health;

import com.codahale.metrics.health.HealthCheck;
import io.proxygate.application.port.out.VertexPort;
import io.proxygate.application.port.out.VertexStatus;

import java.util.Objects;

/**
 * {@code vertex}: the Claude fallback to Vertex AI is optional, so a server without a project and location is
 * healthy; once it is configured, missing Google credentials or a failed access-token fetch make it unhealthy,
 * since the fallback the operator asked for would fail on its first request.
 */
public final class VertexHealthCheck extends HealthCheck {
    private final boolean configured;
    private final VertexPort vertex;

    public VertexHealthCheck(boolean configured, VertexPort vertex) {
        this.configured = configured;
        this.vertex = Objects.requireNonNull(vertex, "vertex");
    }

    @Override
    protected Result check() {
        if (!configured) {
            return Result.healthy("Vertex AI fallback off: not configured");
        }
        // Token sources cache the access token, so asking on every health check does not fetch one each time.
        VertexStatus status = vertex.status();
        return status.available() ? Result.healthy("Vertex AI fallback usable")
                : Result.unhealthy("Vertex AI fallback configured but unusable: %s",
                status.error().orElse("unknown reason"));
    }
}
