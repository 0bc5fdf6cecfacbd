package io.proxygate.bootstrap.cli;

/** One CLI command. Returns the process exit status (0 ok, 1 failure, 2 usage). */
public interface CliCommand {
    int run(CliContext context) throws Exception;
}
