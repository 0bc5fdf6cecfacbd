package io.proxygate.adapter.in.http.admin;

import io.proxygate.application.admin.AdminFailure;
import io.proxygate.application.port.out.UsageSeriesPort;
import io.proxygate.application.port.out.UsageStatsPort;
import io.proxygate.application.usage.PricingService;
import io.proxygate.application.usage.PricingStatus;
import io.proxygate.application.usage.UsageReportService;
import io.proxygate.domain.credential.CredentialId;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Usage, cost, statistics, recent requests and pricing. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminUsageResource {
    private final UsageReportService usage;
    private final PricingService pricing;
    private final InstantSource clock;

    public AdminUsageResource(UsageReportService usage, PricingService pricing, InstantSource clock) {
        this.usage = Objects.requireNonNull(usage, "usage");
        this.pricing = Objects.requireNonNull(pricing, "pricing");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @GET
    @Path("usage")
    public Map<String, Object> today() {
        Map<String, Object> today = new java.util.LinkedHashMap<>(AdminViews.today(usage.today()));
        // Today's requests, tokens and cost per client key (an id, owner or open), most requests first.
        java.time.Instant now = clock.instant();
        today.put("by_client_key", usage.stats(UsageStatsPort.GroupBy.CLIENT_KEY,
                now.atZone(usage.zone()).toLocalDate().atStartOfDay(usage.zone()).toInstant(), now.plusSeconds(1))
                .stream().map(AdminViews::stats).toList());
        return today;
    }

    @GET
    @Path("usage/cost")
    public Map<String, Object> cost() {
        return AdminViews.cost(usage.costToday());
    }

    /** {@code ?group_by=credential|model|day|hour&since&until}. */
    @GET
    @Path("stats")
    public Map<String, Object> stats(@QueryParam("group_by") @DefaultValue("credential") String groupBy,
                                     @QueryParam("since") String since, @QueryParam("until") String until) {
        UsageStatsPort.GroupBy group = parse(UsageStatsPort.GroupBy.class, groupBy, "group_by",
                "credential, model, day, hour or client_key");
        TimeRange range = TimeRange.parse(since, until, clock.instant(), usage.zone());
        try {
            return Json.object().put("group_by", group.name().toLowerCase(Locale.ROOT)).put("since", range.from())
                    .put("until", range.to()).put("zone", usage.zone().getId())
                    .put("rows", usage.stats(group, range.from(), range.to()).stream().map(AdminViews::stats).toList())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, e.getMessage());
        }
    }

    /** Chart points: {@code ?bucket=hour|day&split=none|credential|model&since&until}; {@code t} is epoch seconds. */
    @GET
    @Path("stats/series")
    public Map<String, Object> series(@QueryParam("bucket") @DefaultValue("hour") String bucket,
                                      @QueryParam("split") @DefaultValue("none") String split,
                                      @QueryParam("since") String since, @QueryParam("until") String until) {
        UsageSeriesPort.Bucket b = parse(UsageSeriesPort.Bucket.class, bucket, "bucket", "hour or day");
        UsageSeriesPort.Split s = parse(UsageSeriesPort.Split.class, split, "split", "none, credential, model or client_key");
        TimeRange range = TimeRange.parse(since, until, clock.instant(), usage.zone());
        try {
            return Json.object().put("bucket", b.name().toLowerCase(Locale.ROOT))
                    .put("split", s.name().toLowerCase(Locale.ROOT)).put("since", range.from())
                    .put("until", range.to()).put("zone", usage.zone().getId())
                    .put("points", usage.series(b, s, range.from(), range.to()).stream().map(AdminViews::point)
                            .toList())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, e.getMessage());
        }
    }

    /**
     * {@code ?limit=100&credential=chatgpt:alice@example.com} (a credential id, or an email or key id) and
     * {@code &client_key=ck_...} (a client key's id, {@code owner} or {@code open}).
     */
    @GET
    @Path("requests")
    public List<Map<String, Object>> requests(@QueryParam("limit") @DefaultValue("100") int limit,
                                              @QueryParam("credential") String credential,
                                              @QueryParam("client_key") String clientKey) {
        Optional<CredentialId> id = Optional.ofNullable(credential).map(String::trim).filter(c -> !c.isEmpty())
                .map(AdminUsageResource::credentialId);
        Optional<String> key = Optional.ofNullable(clientKey).map(String::trim).filter(c -> !c.isEmpty());
        return usage.recent(limit, id, key).stream().map(AdminViews::request).toList();
    }

    @GET
    @Path("pricing/status")
    public Map<String, Object> pricingStatus() {
        return pricing(pricing.status());
    }

    @POST
    @Path("pricing/refresh")
    public Response pricingRefresh() {
        PricingStatus status = pricing.refresh();
        if (status.lastError().isPresent()) { // a success clears the error
            return Response.status(502).type(MediaType.APPLICATION_JSON_TYPE).entity(Json.object()
                    .put("error", status.lastError().get()).put("status", pricing(status)).build()).build();
        }
        return Response.ok(pricing(status), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** {@code [{billing_key, count}]}, most missed first. */
    @GET
    @Path("pricing/unpriced")
    public List<Map<String, Object>> unpriced() {
        return pricing.misses().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> Json.object().put("billing_key", e.getKey()).put("count", e.getValue()).build())
                .toList();
    }

    private static Map<String, Object> pricing(PricingStatus s) {
        return Json.object().put("origin", s.origin().wireName()).put("models_count", s.modelsCount())
                .opt("fetched_at", s.fetchedAt()).optValue("url", s.url()).opt("last_attempt_at", s.lastAttemptAt())
                .opt("last_success_at", s.lastSuccessAt()).opt("last_error", s.lastError()).build();
    }

    /** A full id ({@code chatgpt:..}, {@code claude:..}, {@code key:..}, {@code vertex-ai}); else an email or key id. */
    static CredentialId credentialId(String text) {
        if (text.startsWith("chatgpt:") || text.startsWith("claude:") || text.startsWith("key:")
                || text.equals(UsageReportService.VERTEX)) {
            return new CredentialId(text);
        }
        return text.contains("@") ? CredentialId.chatgpt(text) : CredentialId.apiKey(text);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String name, String allowed) {
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, name + " must be " + allowed);
        }
    }
}
