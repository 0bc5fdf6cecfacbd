package io.proxygate.adapter.in.http;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * A lean Jersey application for the relayed API routes, apart from the admin application: one resource and
 * Jersey's built-in byte-stream providers, nothing else. No bean validation, WADL, JSON providers, auto-discovered
 * features or per-method metrics run on the hot path; bodies are raw bytes in and a {@code StreamingOutput} out.
 */
public final class ApiApplication extends ResourceConfig {
    public ApiApplication(ApiResource resource) {
        register(resource);
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        property(ServerProperties.BV_FEATURE_DISABLE, true);
        property(ServerProperties.JSON_PROCESSING_FEATURE_DISABLE, true);
        property(ServerProperties.MOXY_JSON_FEATURE_DISABLE, true);
        // The entity stream writes through at once: a relayed SSE event must not wait in a buffer for its length.
        property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        // Errors are answered with a status and a body of our own, never the container's error page.
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        setApplicationName("proxygate-api");
    }
}
