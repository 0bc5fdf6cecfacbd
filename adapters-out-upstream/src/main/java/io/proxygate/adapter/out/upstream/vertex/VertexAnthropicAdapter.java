package io.proxygate.adapter.out.upstream.vertex;

import io.proxygate.adapter.out.upstream.HttpUpstreamAdapter;
import io.proxygate.adapter.out.upstream.VertexMessagesBody;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.VertexPort;
import io.proxygate.application.port.out.VertexRequest;
import io.proxygate.application.port.out.VertexStatus;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Claude on Google Vertex AI: {@code POST {base}/v1/projects/{project}/locations/{location}/publishers/anthropic/
 * models/{model}:rawPredict} ({@code :streamRawPredict} for streams) with a Google bearer token and the body Vertex
 * wants ({@link VertexMessagesBody}). Calls run on the shared {@link HttpUpstreamAdapter} client, so they stream,
 * back-pressure, time out and report usage exactly like Anthropic API calls.
 */
public final class VertexAnthropicAdapter implements VertexPort {
    private static final Logger LOG = LoggerFactory.getLogger(VertexAnthropicAdapter.class);
    /** The only client headers Vertex gets; never the client's own credentials or Anthropic's version headers. */
    static final List<String> FORWARDED = List.of("user-agent", "x-request-id", "x-client-request-id", "x-app",
            "x-claude-code-session-id");

    private final HttpUpstreamAdapter http;
    private final VertexSettings settings;
    private final GoogleCredentialDiscovery.Result credentials;

    public VertexAnthropicAdapter(HttpUpstreamAdapter http, VertexSettings settings,
                                  GoogleCredentialDiscovery.Result credentials) {
        this.http = Objects.requireNonNull(http, "http");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public boolean usable() {
        return settings.configured() && credentials.source().isPresent();
    }

    @Override
    public VertexStatus status() {
        Optional<String> project = Optional.of(settings.projectId());
        Optional<String> location = Optional.of(settings.location());
        Optional<String> method = credentials.source().map(GoogleTokenSource::method);
        if (!settings.configured()) {
            return new VertexStatus(false, project, location, method, Optional.of("missing project or location"));
        }
        if (credentials.source().isEmpty()) {
            return new VertexStatus(false, project, location, method, credentials.problem());
        }
        try {
            credentials.source().get().accessToken();
            return new VertexStatus(true, project, location, method, Optional.empty());
        } catch (IOException | RuntimeException e) {
            return new VertexStatus(false, project, location, method,
                    Optional.of("cannot get a Google access token: " + e.getMessage()));
        }
    }

    @Override
    public UpstreamCall open(VertexRequest request) {
        if (!usable()) {
            return new FailedCall(new UpstreamException(UpstreamException.Kind.CONNECT,
                    "vertex anthropic: not configured", null));
        }
        String token;
        try {
            token = credentials.source().get().accessToken();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot get a Google access token ({}): {}", credentials.source().get().method(),
                    e.getMessage());
            return new FailedCall(new UpstreamException(UpstreamException.Kind.CONNECT,
                    "vertex anthropic: no Google access token: " + e.getMessage(), e));
        }
        byte[] body = VertexMessagesBody.rewrite(request.body(), request.change());
        return http.openShaped(endpoint(request.model(), request.stream()), headers(request, token), body,
                Route.MESSAGES);
    }

    URI endpoint(String model, boolean stream) {
        return URI.create(settings.base() + "/v1/projects/" + segment(settings.projectId())
                + "/locations/" + segment(settings.location())
                + "/publishers/anthropic/models/" + segment(model) + (stream ? ":streamRawPredict" : ":rawPredict"));
    }

    private static Headers headers(VertexRequest request, String token) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        out.add(Map.entry("Authorization", "Bearer " + token));
        out.add(Map.entry("Accept", request.stream() ? "text/event-stream" : "application/json"));
        // Usage is read from the bytes as they pass: no compression.
        out.add(Map.entry("Accept-Encoding", "identity"));
        for (String name : FORWARDED) {
            request.clientHeaders().first(name).ifPresent(v -> out.add(Map.entry(name, v)));
        }
        return new Headers(out);
    }

    /** Percent-encodes a path segment, keeping what model ids use ({@code claude-haiku-4-5@20251001}). */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
