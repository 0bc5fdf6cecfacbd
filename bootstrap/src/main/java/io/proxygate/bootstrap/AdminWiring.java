package io.proxygate.bootstrap;

import io.proxygate.adapter.in.http.admin.AdminClientKeysResource;
import io.proxygate.application.clientkey.ClientKeyService;
import io.dropwizard.core.setup.Environment;
import io.proxygate.adapter.in.http.admin.AdminApi;
import io.proxygate.adapter.in.http.admin.AdminInfo;
import io.proxygate.adapter.out.persistence.pool.JsonCredentialImporter;
import io.proxygate.adapter.out.persistence.sql.SqlUsageStats;
import io.proxygate.application.admin.LiveEvents;
import io.proxygate.application.admin.PoolAdminService;
import io.proxygate.application.admin.RoutingExplainService;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.auth.TokenRefreshService;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.proxy.ProxyService;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.usage.PricingService;
import io.proxygate.application.usage.UsagePollService;
import io.proxygate.application.usage.UsageReportService;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.credential.Secret;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Builds the admin API and the dashboard on the main port: the services over the pool, the router, the request log
 * and pricing; the live feed (fed by the proxy and the pool); and the Jersey components, including the gate that
 * covers every path under {@code /admin/}. "Today" and chart days are the server's local days.
 */
final class AdminWiring {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminWiring.class);
    private AdminWiring() {
    }

    static AdminApi register(Environment environment, ProxyGateConfiguration config, AdminTokens.AdminToken adminToken,
                             CredentialPool pool, CredentialRouter router, SqlUsageStats stats,
                             PricingService pricing,
                             UsagePollService poller, TokenRefreshService tokens, LoginService logins,
                             ProxyService proxy, InstantSource clock, ClientKeyService clientKeys) {
        ZoneId zone = ZoneId.systemDefault();
        LiveEvents live = new LiveEvents(clock);
        proxy.observe(live);
        pool.addListener(live::poolChanged);

        PoolAdminService poolAdmin = new PoolAdminService(pool, router, stats, poller::pollStatus,
                tokens::refreshNow, new JsonCredentialImporter(clock), clock, zone);
        poolAdmin.reportRefreshes(tokens::refreshHistory);
        UsageReportService usage = new UsageReportService(stats, stats, pricing::lookup, clock, zone);
        AdminInfo info = new AdminInfo(Version.current(), clock.instant(),
                config.paths.dataDir.toAbsolutePath().toString(), config.paths.poolDir.toAbsolutePath().toString(),
                adminToken.file().map(f -> f.toAbsolutePath().toString()).orElse(""), adminToken.source(),
                adminToken.hint(), adminToken.hintWhere(), config.server.addrText());
        Optional<Secret> token = Optional.ofNullable(adminToken.value()).filter(v -> !v.isBlank()).map(Secret::of);

        Optional<Secret> identityKey;
        try {
            identityKey = Optional.of(Secret.of(AdminTokens.identityKey(config.paths.dataDir)));
        } catch (java.io.IOException e) {
            // Without it the CLI cannot tell this server from a squatter, and keeps the admin token to itself.
            LOG.warn("cannot write the CLI identity key in {}: {}", config.paths.dataDir, e.toString());
            identityKey = Optional.empty();
        }
        AdminApi api = new AdminApi(token, identityKey, new AdminApi.Services(poolAdmin, pool, usage, pricing,
                new RoutingExplainService(pool, router).translate(config.translate.policy()), logins, live), info, clock, zone, true);
        api.components().forEach(environment.jersey()::register);
        environment.jersey().register(new AdminClientKeysResource(clientKeys, clock, zone,
                Optional.ofNullable(config.server.publicBaseUrl).map(String::strip).filter(u -> !u.isEmpty())));
        // Open dashboards hold event streams: end them as the server begins to stop, not after the grace period.
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle event) {
                api.close();
            }
        });
        return api;
    }
}
