package io.proxygate.adapter.out.upstream.vertex;

import java.util.Optional;

/**
 * Where Claude on Vertex AI lives.
 *
 * @param projectId Google Cloud project; blank when not configured
 * @param location  Vertex AI region such as {@code us-east5}, or {@code global}; blank when not configured
 * @param baseUrl   overrides {@code https://{location}-aiplatform.googleapis.com} (tests, private endpoints); a
 *                  {@code {location}} in it is replaced
 */
public record VertexSettings(String projectId, String location, Optional<String> baseUrl) {
    public VertexSettings {
        projectId = projectId == null ? "" : projectId.strip();
        location = location == null ? "" : location.strip();
        baseUrl = baseUrl == null ? Optional.empty() : baseUrl.map(String::strip).filter(u -> !u.isEmpty());
    }

    public boolean configured() {
        return !projectId.isEmpty() && !location.isEmpty();
    }

    /** The API root without a trailing slash. The global location has no regional host. */
    String base() {
        String base = baseUrl.orElse(location.equals("global") ? "https://aiplatform.googleapis.com"
                : "https://{location}-aiplatform.googleapis.com");
        base = base.replace("{location}", location);
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }
}
