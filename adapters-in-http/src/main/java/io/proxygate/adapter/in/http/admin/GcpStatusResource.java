package io.proxygate.adapter.in.http.admin;

import io.proxygate.application.fallback.ManageClaudeFallbackUseCase;
import io.proxygate.application.port.out.VertexStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /admin/gcp}: whether Claude on Vertex AI can be used, as
 * {@code {available, project_id?, location?, auth_method?, error?}} (absent fields are left out, never null).
 */
@Path("/admin/gcp")
@Produces(MediaType.APPLICATION_JSON)
public final class GcpStatusResource {
    private final ManageClaudeFallbackUseCase fallback;

    public GcpStatusResource(ManageClaudeFallbackUseCase fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    @GET
    public Map<String, Object> get() {
        VertexStatus status = fallback.vertexStatus();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("available", status.available());
        status.projectId().ifPresent(v -> body.put("project_id", v));
        status.location().ifPresent(v -> body.put("location", v));
        status.authMethod().ifPresent(v -> body.put("auth_method", v));
        status.error().ifPresent(v -> body.put("error", v));
        return body;
    }
}
