package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.AirlineModule;
import com.github.rvesse.airline.annotations.Arguments;
import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.restrictions.Required;
import io.proxygate.adapter.out.persistence.sql.Databases;
import io.proxygate.adapter.out.persistence.sql.SqliteCredentialState;
import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.credential.Credential;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code clear-cooldown <email|id>}: ends a credential's cooldown and failure streak. The saved state is cleared in
 * the database (so a restart does not bring it back), and a running server is told through its admin API, because
 * its routing state lives in memory; without a running server the database is all there is.
 */
@Command(name = "clear-cooldown", description = "End a credential's cooldown and failure streak (by email or key id)")
public final class ClearCooldownCommand implements CliCommand {
    @AirlineModule
    ConfigOption config = new ConfigOption();

    @Arguments(title = "email|id", description = "account email or key id")
    @Required
    String target;

    @Override
    public int run(CliContext context) {
        ProxyGateConfiguration cfg = config.load(context);
        try (CliServices services = new CliServices(cfg)) {
            PoolEntry entry = services.pool.findByLabel(target).orElse(null);
            if (entry == null) {
                context.err().println("not found: " + target);
                return 1;
            }
            Credential credential = entry.credential();
            database(cfg).ifPresent(db -> new SqliteCredentialState(db, services.clock).clearCooldown(credential.id()));
            String where = tellServer(cfg, credential)
                    ? "cleared on the running server and in the database"
                    : "cleared in the database (no server answered at " + cfg.server.addr + ")";
            context.out().println("cooldown of " + target + " " + where);
            return 0;
        }
    }

    /** Asks the running server to clear its in-memory state; false when no server (or another program) answers. */
    private static boolean tellServer(ProxyGateConfiguration cfg, Credential credential) {
        Optional<String> token = adminToken(cfg);
        if (token.isEmpty()) {
            return false;
        }
        URI uri = URI.create(serverBase(cfg) + "/admin/" + section(credential) + "/"
                + URLEncoder.encode(credential.label(), StandardCharsets.UTF_8).replace("+", "%20")
                + "/clear-cooldown");
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<Void> reply = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("X-Admin-Token", token.get()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            return reply.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The admin API's section for the credential's kind. */
    static String section(Credential credential) {
        return switch (credential.kind()) {
            case CHATGPT_ACCOUNT -> "accounts";
            case CLAUDE_ACCOUNT -> "claude-accounts";
            default -> "keys";
        };
    }

    /** {@code http://host:port} of the configured listener; a wildcard bind is reached over loopback. */
    static String serverBase(ProxyGateConfiguration cfg) {
        String host = cfg.server.addr.host().isBlank() || cfg.server.addr.host().equals("0.0.0.0")
                ? "127.0.0.1" : cfg.server.addr.host();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + cfg.server.addr.port();
    }

    /** The token the server uses: configured, or the one it generated into the data directory. Never generated here. */
    static Optional<String> adminToken(ProxyGateConfiguration cfg) {
        if (!cfg.server.adminToken.isBlank()) {
            return Optional.of(cfg.server.adminToken);
        }
        Path file = cfg.paths.dataDir.resolve(".admin_token");
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                    .filter(t -> !t.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Jdbi> database(ProxyGateConfiguration cfg) {
        if (!cfg.database.url.isBlank()) {
            return Optional.of(Databases.open(cfg.database.url, cfg.database.user, cfg.database.password));
        }
        Path db = cfg.paths.dataDir.resolve("proxygate.db");
        return Files.isRegularFile(db) ? Optional.of(SqliteDatabase.open(db)) : Optional.empty();
    }
}
