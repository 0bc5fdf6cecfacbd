package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.AirlineModule;
import com.github.rvesse.airline.annotations.Arguments;
import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.restrictions.Required;
import io.proxygate.application.pool.PoolEntry;

/**
 * {@code disable|enable <email|id>}: rewrites the credential's file (a running server picks it up by hot reload).
 * Looks up a ChatGPT email, then a key id, then a Claude email (first match wins); counters are untouched.
 */
abstract class ToggleCommand implements CliCommand {
    @AirlineModule
    ConfigOption config = new ConfigOption();

    @Arguments(title = "email|id", description = "account email or key id")
    @Required
    String target;

    abstract boolean disable();

    @Override
    public int run(CliContext context) {
        try (CliServices services = new CliServices(config.load(context))) {
            PoolEntry entry = services.pool.findByLabel(target).orElse(null);
            if (entry == null) {
                context.err().println("not found: " + target);
                return 1;
            }
            services.pool.setDisabled(entry, disable());
            String what = switch (entry.credential().kind()) {
                case CHATGPT_ACCOUNT -> "account";
                case CLAUDE_ACCOUNT -> "claude account";
                default -> "key";
            };
            context.out().println(what + " " + target + " disabled=" + disable());
            return 0;
        }
    }

    @Command(name = "disable", description = "Take a credential out of rotation (by email or key id)")
    public static final class Disable extends ToggleCommand {
        @Override
        boolean disable() {
            return true;
        }
    }

    @Command(name = "enable", description = "Put a credential back in rotation (by email or key id)")
    public static final class Enable extends ToggleCommand {
        @Override
        boolean disable() {
            return false;
        }
    }

}
