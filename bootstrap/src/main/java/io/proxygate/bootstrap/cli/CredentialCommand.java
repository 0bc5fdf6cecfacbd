package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Arguments;
import com.github.rvesse.airline.annotations.restrictions.Required;
import io.proxygate.application.pool.PoolEntry;

/**
 * A command on one pool credential named by account email or key id: prints {@code not found: <target>} on stderr
 * and exits 1 when the pool has no such credential.
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
                context.err().println("not found: " + target);
                return 1;
            }
            return run(context, services, entry);
        }
    }
}
