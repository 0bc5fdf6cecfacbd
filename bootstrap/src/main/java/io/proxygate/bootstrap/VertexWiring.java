package io.proxygate.bootstrap;

import io.dropwizard.core.setup.Environment;
import io.proxygate.adapter.in.http.admin.ClaudeFallbackResource;
import io.proxygate.adapter.in.http.admin.GcpStatusResource;
import io.proxygate.adapter.out.persistence.sql.SqlSettings;
import io.proxygate.adapter.out.upstream.HttpUpstreamAdapter;
import io.proxygate.adapter.out.upstream.vertex.GoogleCredentialDiscovery;
import io.proxygate.adapter.out.upstream.vertex.MessagesVariantHints;
import io.proxygate.adapter.out.upstream.vertex.VertexAnthropicAdapter;
import io.proxygate.adapter.out.upstream.vertex.VertexSettings;
import io.proxygate.application.fallback.ClaudeFallbackService;
import io.proxygate.application.fallback.ClaudeFallbackSettings;
import io.proxygate.application.fallback.FallbackPolicyService;
import io.proxygate.application.proxy.FallbackRoute;
import io.proxygate.application.proxy.Pause;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.health.VertexHealthCheck;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Builds the Claude fallback to Vertex AI: Google credentials (looked up only when a project and location are
 * configured, so an unconfigured server never probes for them), the Vertex adapter on the shared upstream client,
 * the live policy stored in SQLite, and the admin resources {@code /admin/claude-fallback} and {@code /admin/gcp}.
 */
public final class VertexWiring {
    private static final Logger LOG = LoggerFactory.getLogger(VertexWiring.class);

    private VertexWiring() {
    }

    /** The fallback route for {@code ProxyService}; registers the admin resources and a health check. */
    public static FallbackRoute build(ProxyGateConfiguration config, Environment environment, Jdbi jdbi,
                                      HttpUpstreamAdapter upstream, InstantSource clock) {
        ProxyGateConfiguration.VertexSection v = config.vertex;
        VertexSettings settings = new VertexSettings(v.projectId, v.location, Optional.of(v.baseUrl));
        GoogleCredentialDiscovery.Result credentials = settings.configured()
                ? GoogleCredentialDiscovery.discover(credentialsFile(v.credentialsFile), clock)
                : new GoogleCredentialDiscovery.Result(Optional.empty(), Optional.of("missing project or location"));
        VertexAnthropicAdapter vertex = new VertexAnthropicAdapter(upstream, settings, credentials);
        if (vertex.usable()) {
            LOG.info("Claude fallback to Vertex AI available: project {} location {} via {}", settings.projectId(),
                    settings.location(), credentials.source().orElseThrow().method());
        } else if (settings.configured()) {
            LOG.warn("Claude fallback to Vertex AI unavailable: {}", credentials.problem().orElse("unknown"));
        }

        FallbackPolicyService policies = new FallbackPolicyService(new SqlSettings(jdbi, clock), vertex);
        environment.jersey().register(new ClaudeFallbackResource(policies));
        environment.jersey().register(new GcpStatusResource(policies));
        environment.healthChecks().register("vertex", new VertexHealthCheck(settings.configured(), vertex));
        return new ClaudeFallbackService(policies, vertex, new MessagesVariantHints(),
                ClaudeFallbackSettings.DEFAULTS, clock, Pause.REAL);
    }

    private static Optional<Path> credentialsFile(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.equals("~") || v.startsWith("~/")) {
            v = System.getProperty("user.home") + v.substring(1);
        }
        return Optional.of(Path.of(v));
    }
}
