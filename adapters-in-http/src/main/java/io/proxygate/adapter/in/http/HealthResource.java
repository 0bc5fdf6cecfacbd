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
import java.util.Locale;
import java.util.Map;

/** {@code /healthz}: {@code {"ok":true}} as the original, plus version and pool counts. Any method answers. */
@Path("/healthz")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final CredentialPool pool;
    private final String version;

    public HealthResource(CredentialPool pool, String version) {
        this.pool = pool;
        this.version = version;
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
