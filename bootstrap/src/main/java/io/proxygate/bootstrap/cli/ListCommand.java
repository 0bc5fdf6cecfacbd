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
        try (CliServices services = new CliServices(config.load(context))) {
            return PoolListing.print(context, services, c -> c instanceof ChatGptAccount || c instanceof ApiKey, json,
                    services.config.paths.poolDir.resolve("chatgpt"));
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
            try (CliServices services = new CliServices(config.load(context))) {
                Predicate<Credential> claude = ClaudeAccount.class::isInstance;
                return PoolListing.print(context, services, claude, json,
                        services.config.paths.poolDir.resolve("claude"));
            }
        }
    }
}
