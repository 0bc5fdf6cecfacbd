package io.proxygate.domain.clientkey;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A key handed to one person or tool. Only the SHA-256 of its secret is kept ({@code secretHash}, lowercase hex):
 * the secret is random enough that a plain hash cannot be reversed, and is shown once, when the key is created.
 *
 * @param prefix the first characters of the secret, so an admin can tell keys apart without the secret
 */
public record ClientKey(String id, String name, String prefix, String secretHash, ClientKeyRules rules,
                        Instant createdAt, Optional<Instant> revokedAt) {
    public ClientKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(secretHash, "secretHash");
        rules = rules == null ? ClientKeyRules.NONE : rules;
        Objects.requireNonNull(createdAt, "createdAt");
        revokedAt = revokedAt == null ? Optional.empty() : revokedAt;
    }

    public boolean revoked() {
        return revokedAt.isPresent();
    }

    public ClientKey withRules(ClientKeyRules newRules) {
        return new ClientKey(id, name, prefix, secretHash, newRules, createdAt, revokedAt);
    }

    public ClientKey withName(String newName) {
        return new ClientKey(id, newName, prefix, secretHash, rules, createdAt, revokedAt);
    }

    public ClientKey revokedAt(Instant when) {
        return new ClientKey(id, name, prefix, secretHash, rules, createdAt, Optional.of(when));
    }
}
