package io.proxygate.application.port.out;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;

import java.time.Instant;
import java.util.Optional;

/**
 * Conversation pins kept where every instance sharing a database sees them, so a conversation keeps its credential
 * (and its upstream prompt cache) whichever instance takes the next request.
 */
public interface ConversationPinPort {
    /** The credential {@code key} is pinned to, if the pin was last used at or after {@code liveSince}. */
    Optional<CredentialId> find(ConversationKey key, Instant liveSince);

    /** Pins (or moves) the conversation to {@code credential}, used at {@code at}. */
    void save(ConversationKey key, CredentialId credential, Instant at);

    /** Removes the pins last used before {@code cutoff}; returns how many went. */
    int deleteIdleBefore(Instant cutoff);
}
