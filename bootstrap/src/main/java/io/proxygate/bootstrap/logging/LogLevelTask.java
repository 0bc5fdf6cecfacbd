package io.proxygate.bootstrap.logging;

import ch.qos.logback.classic.Level;
import io.dropwizard.servlets.tasks.LogConfigurationTask;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dropwizard's {@code /tasks/log-level} with the rule {@code [log] level} follows: DEBUG and TRACE are for
 * ProxyGate's own loggers ({@code io.proxygate} and below). Jetty's HTTP parser and HttpClient's header and wire
 * loggers print every header they see at those levels, client tokens and pooled credentials included, and the log
 * masking can only catch the forms it knows. Any other logger (the root included) asked for DEBUG or TRACE is set to
 * INFO instead, and the reply says so. It is registered under Dropwizard's own task name, which replaces the
 * default task: the admin environment keeps one task per name.
 */
public final class LogLevelTask extends LogConfigurationTask {
    static final String OURS = "io.proxygate";

    public LogLevelTask() {
        this(LoggerFactory.getILoggerFactory());
    }

    LogLevelTask(ILoggerFactory loggers) {
        super(loggers);
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        List<String> levels = parameters.getOrDefault("level", List.of());
        // Read as Dropwizard's task reads it: logback takes any word it does not know for DEBUG.
        Level level = levels.isEmpty() ? null : Level.valueOf(levels.get(0));
        if (level == null || level.isGreaterOrEqual(Level.INFO)) {
            super.execute(parameters, output);
            return;
        }
        List<String> ours = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String logger : parameters.getOrDefault("logger", List.of())) {
            (isOurs(logger) ? ours : others).add(logger);
        }
        if (!ours.isEmpty()) {
            super.execute(with(parameters, ours, levels), output);
        }
        if (!others.isEmpty()) {
            super.execute(with(parameters, others, List.of(Level.INFO.levelStr)), output);
            output.println("DEBUG and TRACE are only for " + OURS + " loggers: other libraries print request"
                    + " headers (tokens included) at those levels, so " + String.join(", ", others)
                    + (others.size() == 1 ? " was" : " were") + " set to INFO");
            output.flush();
        }
    }

    static boolean isOurs(String logger) {
        return logger.equals(OURS) || logger.startsWith(OURS + ".");
    }

    private static Map<String, List<String>> with(Map<String, List<String>> parameters, List<String> loggers,
                                                  List<String> level) {
        Map<String, List<String>> narrowed = new HashMap<>(parameters);
        narrowed.put("logger", loggers);
        narrowed.put("level", level);
        return narrowed;
    }
}
