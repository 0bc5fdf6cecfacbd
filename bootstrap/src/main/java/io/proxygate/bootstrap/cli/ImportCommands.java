package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.Option;
import io.proxygate.adapter.out.persistence.pool.CredentialImportException;
import io.proxygate.adapter.out.persistence.pool.CredentialImports;
import io.proxygate.adapter.out.persistence.pool.ImportResult;
import io.proxygate.domain.credential.Credential;

import java.nio.file.Path;
import java.util.function.BiFunction;

/** {@code import} and {@code import-keys}: one file per entry, never stopping on one bad entry. */
final class ImportCommands {
    private ImportCommands() {
    }

    /**
     * One import command: what it reads ({@code parse}), what it calls the entries and the pool folder they go to.
     */
    private record ImportKind(String noun, String folder, BiFunction<CredentialImports, Path, ImportResult> parse) {
        int importFrom(CliContext context, ConfigOption config, String from) {
            if (from == null || from.isBlank()) {
                throw new CliFailure("--from=PATH required");
            }
            try (CliServices services = new CliServices(config.load(context))) {
                ImportResult result;
                try {
                    result = parse.apply(services.imports(), Path.of(from));
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
                        + services.config.paths.poolDir.resolve(folder)
                        + (skipped > 0 ? " (skipped " + skipped + ")" : ""));
                return 0;
            }
        }
    }

    private static final ImportKind ACCOUNTS = new ImportKind("accounts", "chatgpt", CredentialImports::v1Accounts);
    private static final ImportKind API_KEYS = new ImportKind("keys", "apikeys", CredentialImports::apiKeys);

    @Command(name = "import", description = "Import ChatGPT accounts from a v1 export or Codex's auth.json")
    public static final class Accounts extends ConfiguredCommand {
        @Option(name = "--from", title = "PATH", description = "accounts.json (v1 export) or ~/.codex/auth.json")
        String from;

        @Override
        public int run(CliContext context) {
            return ACCOUNTS.importFrom(context, config, from);
        }
    }

    @Command(name = "import-keys", description = "Import API keys from {\"keys\":[...]} or a bare array")
    public static final class Keys extends ConfiguredCommand {
        @Option(name = "--from", title = "PATH", description = "api-keys.json")
        String from;

        @Override
        public int run(CliContext context) {
            return API_KEYS.importFrom(context, config, from);
        }
    }
}
