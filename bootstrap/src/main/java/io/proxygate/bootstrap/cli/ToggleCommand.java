package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Command;
import io.proxygate.application.pool.PoolEntry;

/**
 * {@code disable|enable <email|id>}: rewrites the credential's file (a running server picks it up by hot reload).
 * Looks up a ChatGPT email, then a key id, then a Claude email (first match wins); counters are untouched.
 */
abstract class ToggleCommand extends CredentialCommand {
    abstract boolean disable();

    @Override
    int run(CliContext context, CliServices services, PoolEntry entry) {
        services.pool.setDisabled(entry, disable());
        String what = switch (entry.credential().kind()) {
            case CHATGPT_ACCOUNT -> "account";
            case CLAUDE_ACCOUNT -> "claude account";
            default -> "key";
        };
        context.out().println(what + " " + target + " disabled=" + disable());
        return 0;
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
