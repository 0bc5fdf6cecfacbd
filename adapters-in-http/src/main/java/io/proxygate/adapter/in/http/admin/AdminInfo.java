package io.proxygate.adapter.in.http.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * Facts about the running server that the status view and the dashboard show.
 *
 * @param tokenFile where the admin token can be read (shown on the login screen)
 * @param listen    the main connector's address, as configured
 */
public record AdminInfo(String version, Instant startedAt, String dataDir, String poolDir, String tokenFile,
                        String listen) {
    public AdminInfo {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(startedAt, "startedAt");
        dataDir = Objects.requireNonNullElse(dataDir, "");
        poolDir = Objects.requireNonNullElse(poolDir, "");
        tokenFile = Objects.requireNonNullElse(tokenFile, "");
        listen = Objects.requireNonNullElse(listen, "");
    }
}
