package io.proxygate.bootstrap;

import io.proxygate.bootstrap.cli.ProxyGateCli;

/** Entry point of the jar: hands the arguments to the CLI and exits with its status. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Quiet until the configured logging takes over (libraries log at DEBUG while the config is validated).
        io.dropwizard.logging.common.BootstrapLogging.bootstrap(ch.qos.logback.classic.Level.WARN);
        int status = ProxyGateCli.run(args, System.out, System.err, System.getenv());
        if (status != ProxyGateCli.KEEP_RUNNING) {
            System.exit(status);
        }
    }
}
