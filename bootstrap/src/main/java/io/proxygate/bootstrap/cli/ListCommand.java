package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Command;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;

/**
 * {@code list}: the file names (without {@code .json}) in the pool's {@code chatgpt/} folder, one per line, so
 * scripts that read that list keep working; {@code --long} prints a table of the ChatGPT accounts and API keys,
 * {@code --json} the same as JSON.
 */
@Command(name = "list", description = "List the account files in pool/chatgpt/ (--long: a table of ChatGPT accounts "
        + "and API keys; --json: JSON)")
public final class ListCommand extends PoolFolderListCommand {
    @Override
    String folder() {
        return "chatgpt";
    }

    @Override
    boolean lists(Credential credential) {
        return credential instanceof ChatGptAccount || credential instanceof ApiKey;
    }

    /** {@code list-claude}: the same for the Claude accounts in {@code claude/}. */
    @Command(name = "list-claude", description = "List the account files in pool/claude/ (--long: a table; --json: "
            + "JSON)")
    public static final class Claude extends PoolFolderListCommand {
        @Override
        String folder() {
            return "claude";
        }

        @Override
        boolean lists(Credential credential) {
            return credential instanceof ClaudeAccount;
        }
    }
}
