package io.proxygate.bootstrap.cli;

import java.io.PrintStream;
import java.util.Map;

/** What a command may touch: its output streams and the environment (injected, so tests need no subprocess). */
public record CliContext(PrintStream out, PrintStream err, Map<String, String> env) {
}
