package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Command;
import io.proxygate.adapter.out.persistence.sql.Databases;
import io.proxygate.adapter.out.persistence.sql.SqlCredentialState;
import io.proxygate.adapter.out.persistence.sql.SqliteDatabase;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.credential.Credential;
import org.jdbi.v3.core.Jdbi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code clear-cooldown <email|id>}: ends a credential's cooldown, failure streak and needs-login mark. The saved
 * state is cleared in the database (so a restart does not bring it back), and a running server is told through its
 * admin API, because its routing state lives in memory; without a running server the database is all there is.
 */
@Command(name = "clear-cooldown", description = "End a credential's cooldown, failure streak and needs-login mark "
        + "(by email or key id)")
public final class ClearCooldownCommand extends CredentialCommand {
    @Override
    int run(CliContext context, CliServices services, PoolEntry entry) {
        ProxyGateConfiguration cfg = services.config;
        Credential credential = entry.credential();
        GoDatabaseOnFirstUse.importIfPresent(cfg, context);
        database(cfg).ifPresent(db -> new SqlCredentialState(db, services.clock).clearCooldown(credential.id()));
        String where = tellServer(cfg, credential)
                ? "cleared on the running server and in the database"
                : "cleared in the database (no server answered at " + cfg.server.addr + ")";
        context.out().println("cooldown, failure streak and needs-login mark of " + target + " " + where);
        return 0;
    }

    /** Asks the running server to clear its in-memory state; false when no server (or another program) answers. */
    private static boolean tellServer(ProxyGateConfiguration cfg, Credential credential) {
        return RunningServer.post(cfg, "/admin/" + section(credential) + "/"
                + URLEncoder.encode(credential.label(), StandardCharsets.UTF_8).replace("+", "%20")
                + "/clear-cooldown");
    }

    /** The admin API's section for the credential's kind. */
    static String section(Credential credential) {
        return switch (credential.kind()) {
            case CHATGPT_ACCOUNT -> "accounts";
            case CLAUDE_ACCOUNT -> "claude-accounts";
            default -> "keys";
        };
    }

    private static Optional<Jdbi> database(ProxyGateConfiguration cfg) {
        if (!cfg.database.url.isBlank()) {
            return Optional.of(Databases.open(cfg.database.url, cfg.database.user, cfg.database.password));
        }
        Path db = cfg.paths.dataDir.resolve("proxygate.db");
        return Files.isRegularFile(db) ? Optional.of(SqliteDatabase.open(db)) : Optional.empty();
    }
}
