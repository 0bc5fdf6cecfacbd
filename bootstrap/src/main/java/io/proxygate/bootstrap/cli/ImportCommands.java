package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.AirlineModule;
import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.Option;
import io.proxygate.adapter.out.persistence.pool.CredentialImportException;
import io.proxygate.adapter.out.persistence.pool.ImportResult;
import io.proxygate.domain.credential.Credential;

import java.nio.file.Path;
import java.util.function.BiFunction;

/** {@code import} and {@code import-keys}: one file per entry, never stopping on one bad entry. */
final class ImportCommands {
    private ImportCommands() {
    }

    static int importAll(CliContext context, ConfigOption config, String from, String noun, String folder,
                         BiFunction<CliServices, Path, ImportResult> parse) {
        if (from == null || from.isBlank()) {
            throw new CliFailure("--from=PATH required");
        }
        try (CliServices services = new CliServices(config.load(context))) {
            ImportResult result;
            try {
                result = parse.apply(services, Path.of(from));
            } catch (CredentialImportException e) {
                throw new CliFailure(e.getMessage());
            }
            int imported = 0;
            int skipped = result.skipped().size();
            for (Credential credential : result.credentials()) {
                try {
                    services.store.add(credential);
                    imported++;
                } catch (RuntimeException e) {
                    skipped++;
                    context.err().println("skipped " + credential.label() + ": " + e.getMessage());
                }
            }
            result.skipped().forEach(reason -> context.err().println("skipped " + reason));
            context.out().println("imported " + imported + " " + noun + " to "
                    + services.config.paths.poolDir.resolve(folder) + (skipped > 0 ? " (skipped " + skipped + ")" : ""));
            return 0;
        }
    }

    @Command(name = "import", description = "Import ChatGPT accounts from a v1 export or Codex's auth.json")
    public static final class Accounts implements CliCommand {
        @AirlineModule
        ConfigOption config = new ConfigOption();

        @Option(name = "--from", title = "PATH", description = "accounts.json (v1 export) or ~/.codex/auth.json")
        String from;

        @Override
        public int run(CliContext context) {
            return importAll(context, config, from, "accounts", "chatgpt",
                    (services, path) -> services.imports().v1Accounts(path));
        }
    }

    @Command(name = "import-keys", description = "Import API keys from {\"keys\":[...]} or a bare array")
    public static final class Keys implements CliCommand {
        @AirlineModule
        ConfigOption config = new ConfigOption();

        @Option(name = "--from", title = "PATH", description = "api-keys.json")
        String from;

        @Override
        public int run(CliContext context) {
            return importAll(context, config, from, "keys", "apikeys",
                    (services, path) -> services.imports().apiKeys(path));
        }
    }
}
