package io.proxygate.adapter.in.http.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * Facts about the running server that the status view and the dashboard show.
 *
 * @param tokenFile   the file the admin token can be read from; empty when it is kept in none
 * @param tokenSource where the admin token was set: the file, an environment variable, a config key
 * @param tokenHint   how to read it (a command for the sign-in screen, naming no absolute path)
 * @param tokenWhere  where to run that command ("in the data folder ([paths] data_dir) on the server")
 * @param listen    the main connector's address, as configured
 */
public record AdminInfo(String version, Instant startedAt, String dataDir, String poolDir, String tokenFile,
                        String tokenSource, String tokenHint, String tokenWhere, String listen) {
    public AdminInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        dataDir = Objects.requireNonNullElse(dataDir, "");
        poolDir = Objects.requireNonNullElse(poolDir, "");
        tokenFile = Objects.requireNonNullElse(tokenFile, "");
        tokenSource = Objects.requireNonNullElse(tokenSource, tokenFile);
        tokenHint = Objects.requireNonNullElse(tokenHint, "");
        tokenWhere = Objects.requireNonNullElse(tokenWhere, "");
        listen = Objects.requireNonNullElse(listen, "");
    }
}
