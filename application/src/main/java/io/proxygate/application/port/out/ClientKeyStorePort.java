package io.proxygate.application.port.out;

import io.proxygate.application.clientkey.ClientKeyUsage;
import io.proxygate.domain.clientkey.ClientKey;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where client keys live (the database, shared by every instance on PostgreSQL), and their usage in the request log. */
public interface ClientKeyStorePort {
    List<ClientKey> all();

    void insert(ClientKey key);

    /** Replaces name, rules and revocation of the key with the same id. */
    void update(ClientKey key);

    /** Removes the key itself; its request-log rows stay. */
    boolean delete(String id);

    /** Requests, tokens and estimated cost per client-key id started in {@code [from, to)}. */
    Map<String, ClientKeyUsage> usageBetween(Instant from, Instant to);

    /** When each client key last made a request. */
    Map<String, Instant> lastUsed();

    default Optional<ClientKey> byId(String id) {
        return all().stream().filter(k -> k.id().equals(id)).findFirst();
    }
}
