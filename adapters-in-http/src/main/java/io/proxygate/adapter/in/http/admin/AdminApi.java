package io.proxygate.adapter.in.http.admin;

import io.proxygate.adapter.in.http.AssetsResource;
import io.proxygate.adapter.in.http.DashboardResource;
import io.proxygate.application.admin.LiveEvents;
import io.proxygate.application.admin.PoolAdminService;
import io.proxygate.application.admin.RoutingExplainService;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.usage.PricingService;
import io.proxygate.application.usage.UsageReportService;
import io.proxygate.domain.credential.Secret;

import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the admin API and the dashboard register with Jersey: the gate filter, the error mapper, the
 * resources, the dashboard page and its assets. {@link #close()} ends the live event streams (call it when the
 * server stops, so open dashboards do not hold the shutdown).
 */
public final class AdminApi implements AutoCloseable {
    /** The services behind the admin API. */
    public record Services(PoolAdminService pool, CredentialPool credentialPool, UsageReportService usage,
                           PricingService pricing, RoutingExplainService routing, LoginService logins,
                           LiveEvents events) {
        public Services {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(credentialPool, "credentialPool");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(pricing, "pricing");
            Objects.requireNonNull(routing, "routing");
            Objects.requireNonNull(logins, "logins");
            Objects.requireNonNull(events, "events");
        }
    }

    private final List<Object> components = new ArrayList<>();
    private final AdminEventsResource eventsResource;
    private final AdminSessions sessions;

    /**
     * @param adminToken empty closes the admin API (403)
     * @param withDashboard whether to also serve {@code GET /} and {@code /assets/*}
     */
    public AdminApi(Optional<Secret> adminToken, Services services, AdminInfo info, InstantSource clock, ZoneId zone,
                    boolean withDashboard) {
        this(adminToken, Optional.empty(), services, info, clock, zone, withDashboard);
    }

    /** @param identityKey the key the CLI checks this server's identity with (none: it cannot prove one) */
    public AdminApi(Optional<Secret> adminToken, Optional<Secret> identityKey, Services services, AdminInfo info,
                    InstantSource clock, ZoneId zone, boolean withDashboard) {
        AdminAuth auth = new AdminAuth(adminToken, identityKey, clock);
        // In memory: a restart (the only way the admin token changes) ends every session.
        sessions = new AdminSessions(clock);
        eventsResource = new AdminEventsResource(services.events());
        components.add(new AdminAuthFilter(auth, sessions));
        components.add(new AdminErrors());
        components.add(new AdminLoginResource(auth, sessions));
        components.add(new AdminLoginFlowResource(services.logins()));
        components.add(new AdminPoolResource(services.pool(), services.credentialPool(), info, clock, zone));
        components.add(new AdminUsageResource(services.usage(), services.pricing(), clock));
        components.add(new AdminRoutingResource(services.routing()));
        components.add(eventsResource);
        if (withDashboard) {
            components.add(new DashboardResource(info.tokenHint(), info.tokenWhere()));
            components.add(new AssetsResource());
        }
    }

    /** Filter, mapper and resources, to hand to {@code environment.jersey().register(...)} one by one. */
    public List<Object> components() {
        return List.copyOf(components);
    }

    /** The dashboard sessions (to end them all should the admin token change). */
    public AdminSessions sessions() {
        return sessions;
    }

    @Override
    public void close() {
        eventsResource.close();
    }
}
