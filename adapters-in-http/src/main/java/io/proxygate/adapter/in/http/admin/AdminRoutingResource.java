package io.proxygate.adapter.in.http.admin;

import io.proxygate.application.admin.AdminFailure;
import io.proxygate.application.admin.RoutingExplainService;
import io.proxygate.domain.credential.Api;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@code GET /admin/routing/explain?api=responses|messages|chat&model=&session=}: the pick now, and why not the others. */
@Path("/admin/routing")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminRoutingResource {
    private final RoutingExplainService explain;

    public AdminRoutingResource(RoutingExplainService explain) {
        this.explain = Objects.requireNonNull(explain, "explain");
    }

    @GET
    @Path("explain")
    public Map<String, Object> explain(@QueryParam("api") @DefaultValue("responses") String api,
                                       @QueryParam("model") String model, @QueryParam("session") String session) {
        Api parsed = RoutingExplainService.parseApi(api).orElseThrow(() ->
                new AdminFailure(AdminFailure.Kind.INVALID, "api must be responses, messages or chat"));
        return AdminViews.explanation(explain.explain(parsed, model, Optional.ofNullable(session)));
    }
}
