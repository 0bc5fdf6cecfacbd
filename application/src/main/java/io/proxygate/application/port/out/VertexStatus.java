package io.proxygate.application.port.out;

import java.util.Optional;

/**
 * What admins see about the Vertex AI fallback ({@code GET /admin/gcp}).
 *
 * @param authMethod {@code service_account}, {@code authorized_user}, {@code adc} or {@code gcloud}
 * @param error      why it is not available
 */
public record VertexStatus(boolean available, Optional<String> projectId, Optional<String> location,
                           Optional<String> authMethod, Optional<String> error) {
    public VertexStatus {
        projectId = blankToEmpty(projectId);
        location = blankToEmpty(location);
        authMethod = blankToEmpty(authMethod);
        error = blankToEmpty(error);
    }

    public static VertexStatus unavailable(String error) {
        return new VertexStatus(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(error));
    }

    private static Optional<String> blankToEmpty(Optional<String> value) {
        return value == null ? Optional.empty() : value.filter(v -> !v.isBlank());
    }
}
