package io.proxygate.adapter.in.http.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * Facts about the running server that the status view and the dashboard show.
 *
 * @param tokenFile   the file the admin token can be read from; empty when it is kept in none
 * @param tokenSource where the admin token was set: the file, an environment variable, a config key
 * @param tokenHint   how to read it on the server (a command for the sign-in screen)
 * @param listen    the main connector's address, as configured
 */
public record AdminInfo(String version, Instant startedAt, String dataDir, String poolDir, String tokenFile,
                        String tokenSource, String tokenHint, String listen) {
    public AdminInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        dataDir = Objects.requireNonNullElse(dataDir, "");
        poolDir = Objects.requireNonNullElse(poolDir, "");
        tokenFile = Objects.requireNonNullElse(tokenFile, "");
        tokenSource = Objects.requireNonNullElse(tokenSource, tokenFile);
        tokenHint = Objects.requireNonNullElse(tokenHint, tokenFile.isEmpty() ? "" : "cat " + tokenFile);
        listen = Objects.requireNonNullElse(listen, "");
    }
}
