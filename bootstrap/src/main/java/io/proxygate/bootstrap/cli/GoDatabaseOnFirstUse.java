package io.proxygate.bootstrap.cli;

import io.proxygate.bootstrap.Wiring;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.io.IOException;
import java.time.InstantSource;

/**
 * Before a command opens the database: a bbolt database where the SQLite file goes (a data folder the Go version
 * used) is imported exactly as {@code serve} would import it, and the one line saying so goes to stderr. Commands that
 * only read (status) leave it for the server instead.
 */
final class GoDatabaseOnFirstUse {
    private GoDatabaseOnFirstUse() {
    }

    static void importIfPresent(ProxyGateConfiguration config, CliContext context) {
        try {
            Wiring.importGoDatabase(config, config.database.jdbcUrl(config.paths.dataDir), InstantSource.system())
                    .ifPresent(line -> context.err().println(line));
        } catch (IOException e) {
            throw new CliFailure(e.getMessage());
        }
    }
}
