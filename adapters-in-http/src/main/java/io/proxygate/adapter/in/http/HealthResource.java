package io.proxygate.adapter.in.http;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialKind;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /healthz}: {@code {"ok":true}} (what existing probes check), plus version and pool counts. GET and HEAD
 * answer; other methods get 405, since a probe only reads. The server keeps serving when its request log cannot
 * write (a full disk), so {@code ok} stays true; {@code status} then says {@code degraded} and
 * {@code degraded_reasons} says why in words. The page needs no token, so pool files with a problem are named
 * relative to the pool folder, never by absolute path.
 */
@Path("/healthz")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final CredentialPool pool;
    private final String version;
    private final RequestLogHealth requestLog;
    private final java.nio.file.Path poolDir;

    /** What the request log reports about itself. */
    public interface RequestLogHealth {
        /** Why rows cannot be written now, in words; empty while they can. */
        Optional<String> problem();

        /** Rows lost so far. */
        long dropped();

        /** Rows held in memory for a retry. */
        long waiting();

        RequestLogHealth NONE = new RequestLogHealth() {
            @Override
            public Optional<String> problem() {
                return Optional.empty();
            }

            @Override
            public long dropped() {
                return 0;
            }

            @Override
            public long waiting() {
                return 0;
            }
        };
    }

    public HealthResource(CredentialPool pool, String version) {
        this(pool, version, RequestLogHealth.NONE, null);
    }

    /** @param poolDir the pool folder, against which problem files are named (null: by file name alone) */
    public HealthResource(CredentialPool pool, String version, RequestLogHealth requestLog,
                          java.nio.file.Path poolDir) {
        this.pool = pool;
        this.version = version;
        this.requestLog = requestLog;
        this.poolDir = poolDir == null ? null : poolDir.toAbsolutePath().normalize();
    }

    @GET
    public Map<String, Object> get() {
        CredentialPool.Snapshot snapshot = pool.snapshot();
        Map<String, Object> counts = new LinkedHashMap<>();
        for (CredentialKind kind : CredentialKind.values()) {
            counts.put(kind.name().toLowerCase(Locale.ROOT), 0L);
        }
        Map<String, Object> routable = new LinkedHashMap<>(counts);
        for (Credential c : snapshot.credentials()) {
            String k = c.kind().name().toLowerCase(Locale.ROOT);
            counts.merge(k, 1L, (a, b) -> (Long) a + (Long) b);
            if (!c.disabled() && c.kind() != CredentialKind.UNSUPPORTED_KEY) {
                routable.merge(k, 1L, (a, b) -> (Long) a + (Long) b);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", true);
        Optional<String> problem = requestLog.problem();
        body.put("status", problem.isPresent() ? "degraded" : "ok");
        if (problem.isPresent()) {
            body.put("degraded_reasons", List.of(problem.get()));
        }
        body.put("request_log", Map.of("dropped", requestLog.dropped(), "waiting", requestLog.waiting()));
        body.put("version", version);
        body.put("pool", counts);
        body.put("routable", routable);
        body.put("problems", snapshot.problems().stream()
                .map(p -> Map.of("file", shown(p.path()), "problem", p.problem().orElse(""))).toList());
        return body;
    }

    /** A pool file as {@code chatgpt/a.json}: relative to the pool folder, else its name alone. */
    String shown(String path) {
        try {
            java.nio.file.Path file = java.nio.file.Path.of(path);
            if (!file.isAbsolute()) {
                return file.normalize().toString();
            }
            file = file.normalize();
            if (poolDir != null && file.startsWith(poolDir) && !file.equals(poolDir)) {
                return poolDir.relativize(file).toString();
            }
            java.nio.file.Path name = file.getFileName();
            return name == null ? "" : name.toString();
        } catch (java.nio.file.InvalidPathException e) {
            return "";
        }
    }

    @POST
    public Response post() {
        return notAllowed();
    }

    @PUT
    public Response put() {
        return notAllowed();
    }

    @DELETE
    public Response delete() {
        return notAllowed();
    }

    @PATCH
    public Response patch() {
        return notAllowed();
    }

    private static Response notAllowed() {
        return Response.status(405).header("Allow", "GET, HEAD").type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("ok", false, "error", "method not allowed; use GET or HEAD")).build();
    }

    @HEAD
    public void head() {
    }

}
