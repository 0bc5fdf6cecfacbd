package io.proxygate.application.clientkey;

import io.proxygate.domain.clientkey.ClientKey;

import java.time.Instant;
import java.util.Optional;

/**
 * A key as the admin sees it: never its secret or hash.
 *
 * @param state {@code active}, {@code revoked}, {@code expired} or {@code over_budget}
 */
public record ClientKeyView(ClientKey key, Optional<Instant> lastUsedAt, ClientKeyUsage today,
                            ClientKeyUsage month, String state) {
}
