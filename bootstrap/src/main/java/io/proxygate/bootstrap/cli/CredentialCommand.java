package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Arguments;
import com.github.rvesse.airline.annotations.restrictions.Required;
import io.proxygate.application.pool.PoolEntry;

/**
 * A command on one pool credential named by account email or key id: fails with {@code error: not found: <target>}
 * (exit 1) when the pool has no such credential.
 */
abstract class CredentialCommand extends ConfiguredCommand {
    @Arguments(title = "email|id", description = "account email or key id")
    @Required
    String target;

    /** Runs the command on the credential found; returns the exit status. */
    abstract int run(CliContext context, CliServices services, PoolEntry entry);

    @Override
    public final int run(CliContext context) {
        try (CliServices services = new CliServices(config.load(context))) {
            PoolEntry entry = services.pool.findByLabel(target).orElse(null);
            if (entry == null) {
                throw new CliFailure("not found: " + target);
            }
            return run(context, services, entry);
        }
    }
}
