package io.proxygate.adapter.in.http;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialKind;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /healthz}: {@code {"ok":true}} (what existing probes check), plus version and pool counts. Any method
 * answers. The server keeps serving when its request log cannot write (a full disk), so {@code ok} stays true;
 * {@code status} then says {@code degraded} and {@code degraded_reasons} says why in words.
 */
@Path("/healthz")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final CredentialPool pool;
    private final String version;
    private final RequestLogHealth requestLog;

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
        this(pool, version, RequestLogHealth.NONE);
    }

    public HealthResource(CredentialPool pool, String version, RequestLogHealth requestLog) {
        this.pool = pool;
        this.version = version;
        this.requestLog = requestLog;
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
                .map(p -> Map.of("file", p.path(), "problem", p.problem().orElse(""))).toList());
        return body;
    }

    @POST
    public Map<String, Object> post() {
        return get();
    }

    @PUT
    public Map<String, Object> put() {
        return get();
    }

    @DELETE
    public Map<String, Object> delete() {
        return get();
    }

    @HEAD
    public void head() {
    }

}
