package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Option;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.domain.credential.Credential;

/**
 * Lists one pool folder: the file names without {@code .json}, one per line (scripts read that list); with
 * {@code --long} a table of the credentials the command lists, with {@code --json} the same as JSON.
 */
abstract class PoolFolderListCommand extends JsonOutputCommand {
    @Option(name = "--long", description = "print a table: kind, name, plan, state, expiry, fingerprint")
    boolean long_;

    /** The pool's sub-folder, e.g. {@code chatgpt}. */
    abstract String folder();

    /** Whether the table and JSON include this credential. */
    abstract boolean lists(Credential credential);

    @Override
    public int run(CliContext context) {
        ProxyGateConfiguration cfg = config.load(context);
        if (!long_ && !json) {
            return PoolListing.printStems(context, PoolListing.folder(cfg, folder()));
        }
        try (CliServices services = new CliServices(cfg)) {
            return PoolListing.print(context, services, this::lists, json, PoolListing.folder(cfg, folder()));
        }
    }
}
