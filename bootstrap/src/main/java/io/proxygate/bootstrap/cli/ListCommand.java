package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.AirlineModule;
import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.Option;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;

import java.util.function.Predicate;

/**
 * {@code list}: the file names (without {@code .json}) in the pool's {@code chatgpt/} folder, one per line, so
 * scripts that read that list keep working; {@code --long} prints a table of the ChatGPT accounts and API keys,
 * {@code --json} the same as JSON.
 */
@Command(name = "list", description = "List the account files in pool/chatgpt/ (--long: a table of ChatGPT accounts "
        + "and API keys; --json: JSON)")
public final class ListCommand implements CliCommand {
    @AirlineModule
    ConfigOption config = new ConfigOption();

    @Option(name = "--long", description = "print a table: kind, name, plan, state, expiry, fingerprint")
    boolean long_;

    @Option(name = "--json", description = "print JSON")
    boolean json;

    @Override
    public int run(CliContext context) {
        return list(context, config, c -> c instanceof ChatGptAccount || c instanceof ApiKey, long_, json, "chatgpt");
    }

    /** Prints the folder's file stems, or loads the pool and prints the credentials {@code which} accepts. */
    static int list(CliContext context, ConfigOption config, Predicate<Credential> which, boolean long_, boolean json,
                    String folder) {
        ProxyGateConfiguration cfg = config.load(context);
        if (!long_ && !json) {
            return PoolListing.printStems(context, PoolListing.folder(cfg, folder));
        }
        try (CliServices services = new CliServices(cfg)) {
            return PoolListing.print(context, services, which, json, PoolListing.folder(cfg, folder));
        }
    }

    /** {@code list-claude}: the same for the Claude accounts in {@code claude/}. */
    @Command(name = "list-claude", description = "List the account files in pool/claude/ (--long: a table; --json: "
            + "JSON)")
    public static final class Claude implements CliCommand {
        @AirlineModule
        ConfigOption config = new ConfigOption();

        @Option(name = "--long", description = "print a table: kind, name, plan, state, expiry, fingerprint")
        boolean long_;

        @Option(name = "--json", description = "print JSON")
        boolean json;

        @Override
        public int run(CliContext context) {
            return list(context, config, ClaudeAccount.class::isInstance, long_, json, "claude");
        }
    }
}
