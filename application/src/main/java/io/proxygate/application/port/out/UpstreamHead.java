package io.proxygate.application.port.out;

import io.proxygate.application.http.Headers;
import io.proxygate.domain.routing.UsageWindows;

import java.util.Optional;

/**
 * Status and headers of an upstream reply.
 *
 * @param status          HTTP status
 * @param upstreamHeaders every header the upstream sent (for cooldown parsing)
 * @param clientHeaders   the headers to pass to the client (the route's allow-list applied; content type set
 *                        to what the client will actually receive)
 * @param eventStream     true when the body the client receives is SSE
 * @param windows         usage windows read from rate-limit headers, when the upstream sent them
 */
public record UpstreamHead(int status, Headers upstreamHeaders, Headers clientHeaders, boolean eventStream,
                           Optional<UsageWindows> windows) {
    public UpstreamHead {
        windows = windows == null ? Optional.empty() : windows;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
