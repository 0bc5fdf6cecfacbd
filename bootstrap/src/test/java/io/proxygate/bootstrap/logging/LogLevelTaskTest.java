package io.proxygate.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The log-level admin task turns only ProxyGate's own loggers to DEBUG or TRACE, as {@code [log] level} does. */
class LogLevelTaskTest {
    private final LoggerContext loggers = new LoggerContext();
    private final LogLevelTask task = new LogLevelTask(loggers);

    @Test
    void debugAndTraceReachOurLoggersOnly() throws Exception {
        String reply = run(Map.of("logger", List.of("io.proxygate", "io.proxygate.adapter.out.upstream",
                "org.eclipse.jetty", "org.apache.hc.client5.http.headers", "ROOT", "io.proxygateway"),
                "level", List.of("TRACE")));
        assertThat(loggers.getLogger("io.proxygate").getLevel()).isEqualTo(Level.TRACE);
        assertThat(loggers.getLogger("io.proxygate.adapter.out.upstream").getLevel()).isEqualTo(Level.TRACE);
        for (String other : List.of("org.eclipse.jetty", "org.apache.hc.client5.http.headers", "ROOT",
                "io.proxygateway")) {
            assertThat(loggers.getLogger(other).getLevel()).as(other).isEqualTo(Level.INFO);
        }
        assertThat(reply).contains("set to INFO").contains("org.eclipse.jetty");

        run(Map.of("logger", List.of("org.eclipse.jetty.http.HttpParser"), "level", List.of("debug")));
        assertThat(loggers.getLogger("org.eclipse.jetty.http.HttpParser").getLevel()).isEqualTo(Level.INFO);
        // Logback reads a word it does not know as DEBUG, and ALL is below TRACE: neither gets through.
        run(Map.of("logger", List.of("org.eclipse.jetty.server"), "level", List.of("verbose")));
        run(Map.of("logger", List.of("org.apache.hc"), "level", List.of("ALL")));
        assertThat(loggers.getLogger("org.eclipse.jetty.server").getLevel()).isEqualTo(Level.INFO);
        assertThat(loggers.getLogger("org.apache.hc").getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void quieterLevelsAndResetsWorkAsBeforeForEveryLogger() throws Exception {
        run(Map.of("logger", List.of("org.eclipse.jetty", "io.proxygate"), "level", List.of("WARN")));
        assertThat(loggers.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
        assertThat(loggers.getLogger("io.proxygate").getLevel()).isEqualTo(Level.WARN);
        String reply = run(Map.of("logger", List.of("org.eclipse.jetty")));
        assertThat(loggers.getLogger("org.eclipse.jetty").getLevel()).as("no level: back to the parent's").isNull();
        assertThat(reply).doesNotContain("set to INFO");
    }

    private String run(Map<String, List<String>> parameters) throws Exception {
        StringWriter out = new StringWriter();
        try (PrintWriter writer = new PrintWriter(out)) {
            task.execute(parameters, writer);
        }
        return out.toString();
    }
}
