package io.proxygate.bootstrap.health;

import com.codahale.metrics.health.HealthCheck;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.VertexPort;
import io.proxygate.application.port.out.VertexRequest;
import io.proxygate.application.port.out.VertexStatus;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class VertexHealthCheckTest {
    /** A Vertex port that only answers status. */
    private static final class StatusOnly implements VertexPort {
        private final VertexStatus status;
        final AtomicInteger asked = new AtomicInteger();

        StatusOnly(VertexStatus status) {
            this.status = status;
        }

        @Override
        public boolean usable() {
            return status.available();
        }

        @Override
        public VertexStatus status() {
            asked.incrementAndGet();
            return status;
        }

        @Override
        public UpstreamCall open(VertexRequest request) {
            throw new UnsupportedOperationException("no calls in a health check");
        }
    }

    private static VertexStatus status(boolean available, Optional<String> error) {
        return new VertexStatus(available, Optional.of("proj-fake"), Optional.of("us-east5"),
                Optional.of("service_account"), error);
    }

    @Test
    void anUnconfiguredFallbackIsHealthyAndNotProbed() {
        StatusOnly vertex = new StatusOnly(VertexStatus.unavailable("missing project or location"));

        HealthCheck.Result result = new VertexHealthCheck(false, vertex).execute();

        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).isEqualTo("Vertex AI fallback off: not configured");
        assertThat(vertex.asked).hasValue(0);
    }

    @Test
    void aConfiguredFallbackWithWorkingCredentialsIsHealthy() {
        HealthCheck.Result result = new VertexHealthCheck(true, new StatusOnly(status(true, Optional.empty())))
                .execute();

        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).isEqualTo("Vertex AI fallback usable");
    }

    @Test
    void aConfiguredFallbackWhoseTokenFetchFailsIsUnhealthy() {
        HealthCheck.Result result = new VertexHealthCheck(true, new StatusOnly(
                status(false, Optional.of("cannot get a Google access token: invalid_grant")))).execute();

        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).isEqualTo(
                "Vertex AI fallback configured but unusable: cannot get a Google access token: invalid_grant");
    }
}
