package io.proxygate.bootstrap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.rvesse.airline.annotations.Arguments;
import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.restrictions.Required;
import io.proxygate.application.port.out.DeletedFile;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@code deleted} and {@code restore <name>}: the credential files that deletes moved to
 * {@code <pool_dir>/.deleted/}, and putting one back. Plain file operations, so they work with the server stopped
 * or running (a running server picks the restored file up by hot reload).
 */
final class DeletedCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeletedCommands() {
    }

    @Command(name = "deleted", description = "List deleted credential files that can be restored")
    public static final class List_ extends JsonOutputCommand {
        @Override
        public int run(CliContext context) {
            try (CliServices services = new CliServices(config.load(context))) {
                List<DeletedFile> files = services.pool.deleted();
                if (json) {
                    ArrayNode array = JSON.createArrayNode();
                    for (DeletedFile d : files) {
                        ObjectNode row = array.addObject().put("name", d.name()).put("folder", d.folder())
                                .put("file", d.fileName()).put("deleted_at", d.deletedAt().toString());
                        d.content().credential().ifPresent(c -> row.put("kind", c.kind().provider())
                                .put("label", c.label()).put("fingerprint", c.fingerprint()));
                        d.content().problem().ifPresent(p -> row.put("problem", p));
                    }
                    context.out().println(array.toPrettyString());
                    return 0;
                }
                if (files.isEmpty()) {
                    context.out().println("(nothing deleted in " + services.config.paths.poolDir.resolve(".deleted")
                            + ")");
                    return 0;
                }
                context.out().printf("%-24s %-14s %-32s %s%n", "DELETED", "KIND", "NAME", "RESTORE WITH");
                for (DeletedFile d : files) {
                    String kind = d.content().credential().map(c -> c.kind().provider()).orElse(d.folder());
                    String label = d.content().credential().map(c -> c.label())
                            .orElse(d.fileName() + " (" + d.content().problem().orElse("unreadable") + ")");
                    context.out().printf("%-24s %-14s %-32s proxy-gate restore %s%n", d.deletedAt(), kind, label,
                            d.name());
                }
                return 0;
            }
        }
    }

    @Command(name = "restore", description = "Put a deleted credential file back (never overwrites)")
    public static final class Restore extends ConfiguredCommand {
        @Arguments(title = "name", description = "the file's name in <pool_dir>/.deleted/ (see `proxy-gate deleted`)")
        @Required
        String name;

        @Override
        public int run(CliContext context) {
            try (CliServices services = new CliServices(config.load(context))) {
                String path;
                try {
                    path = services.pool.restore(name);
                } catch (NoSuchElementException e) {
                    throw new CliFailure("no deleted file named " + name + " (see `proxy-gate deleted`)");
                } catch (IllegalStateException e) {
                    throw new CliFailure(e.getMessage());
                }
                context.out().println("restored " + name + " to " + path);
                return 0;
            }
        }
    }
}
