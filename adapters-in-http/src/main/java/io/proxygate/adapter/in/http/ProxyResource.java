package io.proxygate.adapter.in.http;

import io.proxygate.application.proxy.Headers;
import io.proxygate.application.proxy.ProxyCommand;
import io.proxygate.application.proxy.ProxyExchange;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.proxy.ProxyUseCase;
import io.proxygate.application.proxy.RequestFacts;
import io.proxygate.application.proxy.ResponseSink;
import io.proxygate.application.proxy.Route;
import io.proxygate.domain.credential.Api;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relayed API routes. Reads the body once, checks the client, asks the proxy use case for a reply and streams
 * it back, flushing every chunk as it arrives. Errors leave in the route's own API shape.
 */
@Path("/")
public final class ProxyResource {
    private final ProxyUseCase proxy;
    private final ClientAuth auth;
    private final long maxBodyBytes;

    public ProxyResource(ProxyUseCase proxy, ClientAuth auth, long maxBodyBytes) {
        this.proxy = proxy;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
    }

    @POST
    @Path("{prefix: (v1/)?}responses")
    public Response responses(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(Route.RESPONSES, body, headers, uri);
    }

    @POST
    @Path("{prefix: (v1/)?}responses/compact")
    public Response compact(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(Route.RESPONSES_COMPACT, body, headers, uri);
    }

    @POST
    @Path("{prefix: v1/(v1/)?}messages")
    public Response messages(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(Route.MESSAGES, body, headers, uri);
    }

    @POST
    @Path("{prefix: v1/(v1/)?}messages/count_tokens")
    public Response countTokens(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(Route.MESSAGES_COUNT_TOKENS, body, headers, uri);
    }

    @POST
    @Path("{prefix: v1/(v1/)?}chat/completions")
    public Response chat(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(Route.CHAT_COMPLETIONS, body, headers, uri);
    }

    @GET
    @Path("{prefix: (v1/)?}models")
    public Response models(@Context HttpHeaders headers, @Context UriInfo uri) {
        return handle(Route.MODELS, InputStream.nullInputStream(), headers, uri);
    }

    /**
     * The Go version's ChatGPT passthrough (Codex's extra calls): any method on these paths goes to the ChatGPT
     * host with a pooled account. Gated by the proxy token when one is set (the original left them open).
     */
    @Path("{path: (backend-api|ps|plugins|codex|api/codex)/.*|hazelnuts(/.*)?}")
    @GET
    public Response passthroughGet(@Context HttpHeaders headers, @Context UriInfo uri) {
        return passthrough("GET", InputStream.nullInputStream(), headers, uri);
    }

    @Path("{path: (backend-api|ps|plugins|codex|api/codex)/.*|hazelnuts(/.*)?}")
    @POST
    public Response passthroughPost(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return passthrough("POST", body, headers, uri);
    }

    @Path("{path: (backend-api|ps|plugins|codex|api/codex)/.*|hazelnuts(/.*)?}")
    @PUT
    public Response passthroughPut(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return passthrough("PUT", body, headers, uri);
    }

    @Path("{path: (backend-api|ps|plugins|codex|api/codex)/.*|hazelnuts(/.*)?}")
    @PATCH
    public Response passthroughPatch(InputStream body, @Context HttpHeaders headers, @Context UriInfo uri) {
        return passthrough("PATCH", body, headers, uri);
    }

    @Path("{path: (backend-api|ps|plugins|codex|api/codex)/.*|hazelnuts(/.*)?}")
    @DELETE
    public Response passthroughDelete(@Context HttpHeaders headers, @Context UriInfo uri) {
        return passthrough("DELETE", InputStream.nullInputStream(), headers, uri);
    }

    private Response passthrough(String method, InputStream bodyStream, HttpHeaders httpHeaders, UriInfo uri) {
        return handle(Route.PASSTHROUGH, method, bodyStream, httpHeaders, uri);
    }

    private Response handle(Route route, InputStream bodyStream, HttpHeaders httpHeaders, UriInfo uri) {
        return handle(route, null, bodyStream, httpHeaders, uri);
    }

    /** One request, in order: client auth, body read once, facts, the proxy's reply; errors in the API's shape. */
    private Response handle(Route route, String method, InputStream bodyStream, HttpHeaders httpHeaders,
                            UriInfo uri) {
        Api api = route.api();
        Headers headers = toHeaders(httpHeaders);
        if (!auth.allows(route, headers)) {
            return ApiErrors.response(api, 401, "authentication_error", "unauthorized", Optional.empty());
        }
        ProxyExchange exchange;
        try {
            byte[] body = RequestBodies.read(bodyStream, headers.first("Content-Encoding").orElse(""), maxBodyBytes);
            // Passthrough bodies are the ChatGPT site's own business: relayed, never parsed.
            RequestFacts facts = route == Route.PASSTHROUGH
                    ? new RequestFacts(null, false, Optional.empty(), Optional.empty(), Optional.empty())
                    : RequestFactsReader.read(route, body, headers);
            exchange = proxy.open(new ProxyCommand(route, uri.getRequestUri().getRawQuery(), headers, body, facts,
                    method, uri.getRequestUri().getRawPath()));
        } catch (ProxyFailure f) {
            return ApiErrors.response(api, f.status(), f.errorType(), f.getMessage(), f.retryAfter());
        } catch (WebApplicationException e) {
            return ApiErrors.response(api, e.getResponse().getStatus(), "invalid_request_error", e.getMessage(),
                    Optional.empty());
        } catch (IOException e) {
            return ApiErrors.response(api, 400, "invalid_request_error", "could not read request body",
                    Optional.empty());
        }
        return relay(api, exchange);
    }

    private static Response relay(Api api, ProxyExchange exchange) {
        StreamingOutput entity = out -> {
            try {
                exchange.relayTo(new FlushingSink(out, api));
            } catch (IOException clientGone) {
                // The client went away: the exchange cancelled the upstream and recorded it; nothing to answer.
            } finally {
                exchange.close();
            }
        };
        Response.ResponseBuilder builder = Response.status(exchange.status()).entity(entity);
        for (Map.Entry<String, String> field : exchange.headers().fields()) {
            if (field.getKey().equalsIgnoreCase("Content-Type")) {
                builder.type(field.getValue());
            } else if (!field.getKey().equalsIgnoreCase("Content-Length")) {
                builder.header(field.getKey(), field.getValue());
            }
        }
        return builder.build();
    }

    private static Headers toHeaders(HttpHeaders httpHeaders) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        httpHeaders.getRequestHeaders().forEach((name, values) -> values.forEach(v -> fields.add(Map.entry(name, v))));
        return new Headers(fields);
    }

    /** Writes each chunk and flushes it at once, so every SSE event reaches the client as it arrives. */
    private record FlushingSink(OutputStream out, Api api) implements ResponseSink {
        @Override
        public void write(ByteBuffer chunk) throws IOException {
            if (chunk.hasArray()) {
                out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                chunk.position(chunk.limit());
            } else {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                out.write(bytes);
            }
            out.flush();
        }

        @Override
        public void streamError(String errorType, String message) throws IOException {
            out.write(ApiErrors.streamEvent(api, errorType, message));
            out.flush();
        }
    }
}
