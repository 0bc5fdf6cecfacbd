package io.proxygate.bootstrap.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import io.proxygate.adapter.in.http.HealthResource;
import io.proxygate.adapter.out.persistence.sql.SqlRequestLog;

import java.util.Optional;

/**
 * The request log's own health: gauges for rows written, dropped, refused and waiting, and a health check that turns
 * unhealthy, with the reason in words ("disk full at ..."), while rows cannot be written.
 */
public final class RequestLogMetrics {
    private RequestLogMetrics() {
    }

    public static void register(Environment environment, SqlRequestLog log) {
        MetricRegistry metrics = environment.metrics();
        metrics.register("proxygate.request_log.written", (Gauge<Long>) log::writtenCount);
        metrics.register("proxygate.request_log.dropped", (Gauge<Long>) log::droppedCount);
        metrics.register("proxygate.request_log.failed", (Gauge<Long>) log::failedCount);
        metrics.register("proxygate.request_log.waiting", (Gauge<Long>) log::waitingCount);
        metrics.register("proxygate.request_log.pending", (Gauge<Long>) log::pendingCount);
        metrics.register("proxygate.request_log.degraded", (Gauge<Integer>) () -> log.problem().isPresent() ? 1 : 0);
        environment.healthChecks().register("request_log", new HealthCheck() {
            @Override
            protected Result check() {
                Optional<String> problem = log.problem();
                if (problem.isPresent()) {
                    return Result.unhealthy("degraded: %s; %d rows waiting in memory, %d dropped", problem.get(),
                            log.waitingCount(), log.droppedCount());
                }
                return log.droppedCount() == 0 ? Result.healthy("%d rows written", log.writtenCount())
                        : Result.healthy("%d rows written, %d dropped", log.writtenCount(), log.droppedCount());
            }
        });
    }

    public static HealthResource.RequestLogHealth health(SqlRequestLog log) {
        return new HealthResource.RequestLogHealth() {
            @Override
            public Optional<String> problem() {
                return log.problem();
            }

            @Override
            public long dropped() {
                return log.droppedCount();
            }

            @Override
            public long waiting() {
                return log.waitingCount();
            }
        };
    }
}
