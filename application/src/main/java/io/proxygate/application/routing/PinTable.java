package io.proxygate.application.routing;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the router keeps conversation pins: in memory for one instance (optionally written behind to the database,
 * so they survive a restart), in the shared store for several.
 */
interface PinTable {
    /** The credential the conversation is pinned to, if the pin is live. */
    Optional<CredentialId> lookup(ConversationKey key, Instant now);

    /** Pins (or moves) the conversation to {@code credential}. */
    void pin(ConversationKey key, CredentialId credential, Instant now);

    /** Drops expired pins; returns how many went. */
    int sweep(Instant now);

    /** Writes pins not yet stored, for tables that store behind; returns how many were written. */
    default int flush() {
        return 0;
    }
}
