package io.proxygate.application.port.out;

import io.proxygate.application.http.EncodedBody;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.Credential;

import java.util.Objects;
import java.util.Optional;

/**
 * One attempt to serve a request with one credential.
 *
 * @param route             the inbound route (decides the upstream path)
 * @param credential        the credential to use, with fresh tokens
 * @param query             the client's raw query string, may be empty
 * @param clientHeaders     the client's headers in its order; the adapter forwards all but hop-by-hop, credential
 *                          and internal ones, so the client's own credentials never leave
 * @param body              the client's decoded body (the adapter applies upstream-required rewrites itself)
 * @param clientWantsStream whether the client asked for SSE; when it did not and the upstream only streams
 *                          (ChatGPT backend), the adapter assembles the JSON reply itself
 * @param method            the client's HTTP method (only {@link Route#PASSTHROUGH} relays it as is)
 * @param path              the client's path, for {@link Route#PASSTHROUGH}; empty otherwise
 * @param encodedBody       the client's wire bytes when it sent {@code body} under a Content-Encoding; the adapter
 *                          forwards them instead of {@code body} when its upstream accepts that encoding and no
 *                          rewrite changed the body
 * @param translation       present when the client speaks another protocol than {@code route}'s upstream: the
 *                          adapter translates the request, the reply and the stream (see {@link TranslationPlan})
 */
public record UpstreamRequest(Route route, Credential credential, String query,
                              Headers clientHeaders, byte[] body,
                              boolean clientWantsStream, String method, String path,
                              Optional<EncodedBody> encodedBody, Optional<TranslationPlan> translation) {
    public UpstreamRequest {
        translation = translation == null ? Optional.empty() : translation;
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(credential, "credential");
        query = query == null ? "" : query;
        clientHeaders = clientHeaders == null ? Headers.EMPTY : clientHeaders;
        body = body == null ? new byte[0] : body;
        method = method == null || method.isBlank() ? (route == Route.MODELS ? "GET" : "POST") : method;
        path = path == null ? "" : path;
        encodedBody = encodedBody == null ? Optional.empty() : encodedBody;
    }

    public UpstreamRequest(Route route, Credential credential, String query, Headers clientHeaders, byte[] body,
                           boolean clientWantsStream, String method, String path,
                           Optional<EncodedBody> encodedBody) {
        this(route, credential, query, clientHeaders, body, clientWantsStream, method, path, encodedBody,
                Optional.empty());
    }

    public UpstreamRequest(Route route, Credential credential, String query, Headers clientHeaders, byte[] body,
                           boolean clientWantsStream, String method, String path) {
        this(route, credential, query, clientHeaders, body, clientWantsStream, method, path, Optional.empty());
    }

    /** A request to one of the API routes, whose method and path the route decides. */
    public UpstreamRequest(Route route, Credential credential, String query, Headers clientHeaders, byte[] body,
                           boolean clientWantsStream) {
        this(route, credential, query, clientHeaders, body, clientWantsStream, null, null, Optional.empty());
    }
}
