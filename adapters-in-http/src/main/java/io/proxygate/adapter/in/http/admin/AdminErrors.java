package io.proxygate.adapter.in.http.admin;

import io.proxygate.application.admin.AdminFailure;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Admin API errors: {@code {"error": "..."}} with the status that fits, and the mapper for {@link AdminFailure}. */
public final class AdminErrors implements ExceptionMapper<AdminFailure> {
    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(message)).build();
    }

    static Response throttled(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return Response.status(429).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", seconds).entity(body("too many failed attempts; retry later")).build();
    }

    static Map<String, Object> body(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return body;
    }

    static int status(AdminFailure.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case INVALID -> 400;
            case CONFLICT -> 409;
            case UPSTREAM -> 502;
            case UNAVAILABLE -> 503;
        };
    }

    @Override
    public Response toResponse(AdminFailure failure) {
        return response(status(failure.kind()), failure.getMessage());
    }
}
