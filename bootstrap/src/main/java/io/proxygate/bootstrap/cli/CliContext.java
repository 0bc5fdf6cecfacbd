package io.proxygate.bootstrap.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may touch: its output streams, the environment, standard input and whether a terminal is attached
 * (all injected, so tests need no subprocess and no terminal).
 *
 * @param terminal whether a person may be typing on {@code in} (a terminal is attached), not a script
 */
public record CliContext(PrintStream out, PrintStream err, Map<String, String> env, InputStream in, boolean terminal) {
    /** The process's own standard input, read only when a terminal is attached. */
    public CliContext(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, System.in, terminalAttached());
    }

    /**
     * Whether the process talks to a terminal. Since JDK 22 {@link System#console()} exists for redirected streams
     * too, and {@code Console.isTerminal()} (absent from the JDK 21 API we compile against) tells them apart.
     */
    static boolean terminalAttached() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only for a terminal
        }
    }
}
