package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.AirlineModule;
import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.Option;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;

import java.util.function.Predicate;

@Command(name = "list", description = "List ChatGPT accounts and API keys")
public final class ListCommand implements CliCommand {
    @AirlineModule
    ConfigOption config = new ConfigOption();

    @Option(name = "--json", description = "print JSON")
    boolean json;

    @Override
    public int run(CliContext context) {
        return list(context, config, c -> c instanceof ChatGptAccount || c instanceof ApiKey, json, "chatgpt");
    }

    /** Loads the pool the configuration names and prints the credentials {@code which} accepts. */
    static int list(CliContext context, ConfigOption config, Predicate<Credential> which, boolean json,
                    String folder) {
        try (CliServices services = new CliServices(config.load(context))) {
            return PoolListing.print(context, services, which, json, services.config.paths.poolDir.resolve(folder));
        }
    }

    /** {@code list-claude}: the Claude accounts. */
    @Command(name = "list-claude", description = "List Claude accounts")
    public static final class Claude implements CliCommand {
        @AirlineModule
        ConfigOption config = new ConfigOption();

        @Option(name = "--json", description = "print JSON")
        boolean json;

        @Override
        public int run(CliContext context) {
            return list(context, config, ClaudeAccount.class::isInstance, json, "claude");
        }
    }
}
