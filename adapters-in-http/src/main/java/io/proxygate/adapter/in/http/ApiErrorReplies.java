package io.proxygate.adapter.in.http;

import io.proxygate.domain.credential.Api;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Error replies of the API routes, in the route's own API shape ({@link ApiErrors}), as JAX-RS or servlet answers. */
final class ApiErrorReplies {
    private ApiErrorReplies() {
    }

    static Response reply(Api api, int status, String type, String message, Optional<Duration> retryAfter) {
        Response.ResponseBuilder reply = Response.status(status).entity(bytes(api, status, type, message))
                .header("Content-Type", "application/json")
                .header("X-Content-Type-Options", OriginSafeHeaders.NOSNIFF);
        retryAfter.ifPresent(d -> reply.header("Retry-After", retryAfterSeconds(d)));
        return reply.build();
    }

    /** The same answer written straight to the servlet response, for refusals made before Jersey sees a request. */
    static void send(HttpServletResponse response, Api api, int status, String type, String message,
                     Optional<Duration> retryAfter) throws IOException {
        byte[] body = bytes(api, status, type, message);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("X-Content-Type-Options", OriginSafeHeaders.NOSNIFF);
        retryAfter.ifPresent(d -> response.setHeader("Retry-After", retryAfterSeconds(d)));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static byte[] bytes(Api api, int status, String type, String message) {
        return (ApiErrors.body(api, status, type, message) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String retryAfterSeconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
