package io.proxygate.bootstrap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Prints a pool folder's file names (the default of {@code list}), or pool entries as a table (or JSON): kind, name,
 * plan, state, token expiry, fingerprint; then problems.
 */
final class PoolListing {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PoolListing() {
    }

    /** The pool's sub-folder as printed, normalised: {@code ./pool} + {@code chatgpt} is {@code pool/chatgpt}. */
    static Path folder(ProxyGateConfiguration cfg, String name) {
        Path folder = cfg.paths.poolDir.resolve(name).normalize();
        return folder.toString().isEmpty() ? Path.of(".") : folder;
    }

    /** The names of the folder's {@code *.json} files without the extension, sorted, or "(no accounts in DIR)". */
    static int printStems(CliContext context, Path dir) {
        List<String> stems;
        try (Stream<Path> files = Files.list(dir)) {
            stems = files.filter(f -> !Files.isDirectory(f))
                    .map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
        } catch (NoSuchFileException | NotDirectoryException e) {
            stems = List.of();
        } catch (IOException e) {
            throw new CliFailure("cannot read " + dir + ": " + e.getMessage());
        }
        if (stems.isEmpty()) {
            context.out().println("(no accounts in " + dir + ")");
        }
        stems.forEach(context.out()::println);
        return 0;
    }

    /** The pool file's controls as JSON fields, each only when set; a proxy as scheme, host and port only. */
    static void controls(ObjectNode row, io.proxygate.domain.credential.CredentialControls c) {
        c.proxy().ifPresent(p -> row.put("proxy", p.display()));
        if (c.maxConcurrent() > 0) {
            row.put("max_concurrent", c.maxConcurrent());
        }
        if (!c.models().isEmpty()) {
            c.models().forEach(row.putArray("models")::add);
        }
        if (!c.excludeModels().isEmpty()) {
            c.excludeModels().forEach(row.putArray("exclude_models")::add);
        }
        if (c.priority() != 0) {
            row.put("priority", c.priority());
        }
    }

    static int print(CliContext context, CliServices services, Predicate<Credential> which, boolean json, Path dir) {
        List<PoolEntry> entries = services.pool.snapshot().entries().values().stream()
                .filter(e -> which.test(e.credential())).toList();
        List<PoolFile> problems = services.pool.snapshot().problems();
        LiveState live = entries.isEmpty() && !json ? null : LiveState.fetch(services.config);
        // The same state `status` shows (needs login, cooling, over budget), not just whether the file disables it.
        java.util.function.Function<PoolEntry, String> stateOf = entries.isEmpty() ? e -> ""
                : StatusCommand.stateTexts(services.config, java.time.Instant.now());
        if (json) {
            ArrayNode array = JSON.createArrayNode();
            for (PoolEntry e : entries) {
                ObjectNode row = array.addObject();
                row.put("kind", e.credential().kind().provider());
                row.put("name", e.credential().label());
                row.put("plan", plan(e.credential()));
                row.put("disabled", e.credential().disabled());
                row.put("state", stateOf.apply(e));
                expiry(e.credential()).ifPresent(x -> row.put("expires_at", x));
                row.put("fingerprint", e.credential().fingerprint());
                row.put("file", e.path());
                controls(row, e.controls());
                live.of(e.credential()).ifPresent(l -> LiveState.json(row, l));
            }
            ObjectNode root = JSON.createObjectNode();
            root.set("credentials", array);
            root.put("server_running", live.available());
            if (!live.available()) {
                root.put("server_note", live.note());
            }
            ArrayNode bad = root.putArray("problems");
            problems.forEach(p -> bad.addObject().put("file", p.path()).put("problem", p.problem().orElse("")));
            context.out().println(root.toPrettyString());
            return 0;
        }
        if (entries.isEmpty()) {
            context.out().println("(no accounts in " + dir + ")");
        } else {
            Map<PoolEntry, String> states = new java.util.LinkedHashMap<>();
            entries.forEach(e -> states.put(e, stateOf.apply(e)));
            int stateWidth = TableCells.width("STATE", states.values(), 9, StatusCommand.MAX_STATE_WIDTH);
            context.out().printf("%-14s %-32s %-10s %s %-22s %-18s %-9s %s%n", "KIND", "NAME", "PLAN",
                    TableCells.fit("STATE", stateWidth), "EXPIRES", "FINGERPRINT", "INFLIGHT", "CONTROLS");
            for (PoolEntry e : entries) {
                Credential c = e.credential();
                String controls = e.controls().summary();
                Optional<LiveState.Live> l = live.of(c);
                String state = states.get(e);
                context.out().printf("%-14s %-32s %-10s %s %-22s %-18s %-9s %s%n", c.kind().provider(), c.label(),
                        plan(c), TableCells.fit(state, stateWidth), expiry(c).orElse("-"), c.fingerprint(),
                        l.map(x -> LiveState.inFlight(x, e.controls().maxConcurrent())).orElse("?"),
                        controls.isEmpty() ? "-" : controls);
                if (!TableCells.fits(state, stateWidth)) {
                    context.out().println("    state: " + state);
                }
                // Model cooldowns on their own line: the credential itself keeps serving other models.
                l.filter(x -> !x.modelCooldowns().isEmpty()).ifPresent(x ->
                        context.out().println("    model cooldown: " + LiveState.cooldownText(x.modelCooldowns())));
            }
            if (!live.available()) {
                context.out().println(live.note());
            }
        }
        for (PoolFile p : problems) {
            context.err().println("problem: " + p.path() + ": " + p.problem().orElse(""));
        }
        return 0;
    }

    static String plan(Credential c) {
        return switch (c) {
            case ChatGptAccount a -> a.plan().wireName();
            case ClaudeAccount a -> a.subscriptionType().isBlank() ? "-" : a.subscriptionType();
            case ApiKey k -> k.type().wireName();
        };
    }

    static Optional<String> expiry(Credential c) {
        return switch (c) {
            case ChatGptAccount a -> a.tokens().expiresAt().map(Object::toString);
            case ClaudeAccount a -> a.tokens().expiresAt().map(Object::toString);
            case ApiKey k -> Optional.empty();
        };
    }
}
