package io.proxygate.bootstrap.metrics;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.util.EnumSet;

/**
 * Prometheus text on the admin port, bridged from the Dropwizard registry: always at {@code /prometheus}, and at
 * {@code /metrics} when the scraper asks for text ({@code Accept: text/plain} or OpenMetrics, or
 * {@code ?format=prometheus}); browsers and Dropwizard tooling keep getting {@code /metrics} as JSON.
 */
public final class PrometheusEndpoint {
    private PrometheusEndpoint() {
    }

    public static void register(Environment environment, MetricRegistry metrics) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new DropwizardExports(metrics));
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry)).addMapping("/prometheus");
        environment.admin().addFilter("prometheus-negotiation", new Filter() {
            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                HttpServletRequest http = (HttpServletRequest) request;
                String accept = http.getHeader("Accept");
                boolean wantsText = "prometheus".equals(http.getParameter("format")) || (accept != null
                        && (accept.contains("openmetrics") || accept.startsWith("text/plain")));
                if (wantsText) {
                    request.getRequestDispatcher("/prometheus").forward(request, response);
                } else {
                    chain.doFilter(request, response);
                }
            }
        }).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/metrics");
    }
}
