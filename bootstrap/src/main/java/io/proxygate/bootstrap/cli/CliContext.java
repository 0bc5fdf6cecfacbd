package io.proxygate.bootstrap.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may touch: its output streams, the environment, standard input and whether a terminal is attached
 * (all injected, so tests need no subprocess and no terminal).
 *
 * @param terminal whether a person may be typing on {@code in} (a console is attached), not a script
 */
public record CliContext(PrintStream out, PrintStream err, Map<String, String> env, InputStream in, boolean terminal) {
    /** The process's own standard input, read only when a console is attached. */
    public CliContext(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, System.in, System.console() != null);
    }
}
