package io.proxygate.application.clientkey;

import java.math.BigDecimal;

/** One client key's requests, tokens (input + output) and estimated cost over a period. */
public record ClientKeyUsage(long requests, long tokens, BigDecimal costUsd) {
    public static final ClientKeyUsage NONE = new ClientKeyUsage(0, 0, BigDecimal.ZERO);

    public ClientKeyUsage plus(ClientKeyUsage other) {
        return new ClientKeyUsage(requests + other.requests, tokens + other.tokens, costUsd.add(other.costUsd));
    }
}
