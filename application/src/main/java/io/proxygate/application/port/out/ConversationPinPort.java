package io.proxygate.application.port.out;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Conversation pins kept in the database: where every instance sharing a database sees them, so a conversation keeps
 * its credential (and its upstream prompt cache) whichever instance takes the next request; and, for one instance
 * alone, so pins survive a restart.
 */
public interface ConversationPinPort {
    /** A stored pin: the conversation, its credential, when it was last used. */
    record SavedPin(ConversationKey key, CredentialId credential, Instant touchedAt) {
    }

    /** The credential {@code key} is pinned to, if the pin was last used at or after {@code liveSince}. */
    Optional<CredentialId> find(ConversationKey key, Instant liveSince);

    /** Pins (or moves) the conversation to {@code credential}, used at {@code at}. */
    void save(ConversationKey key, CredentialId credential, Instant at);

    /** Saves several pins (in one transaction where the store has them). */
    default void saveAll(Collection<SavedPin> pins) {
        pins.forEach(p -> save(p.key(), p.credential(), p.touchedAt()));
    }

    /** Every pin last used at or after {@code liveSince}, oldest use first. */
    List<SavedPin> live(Instant liveSince);

    /** Removes the pins last used before {@code cutoff}; returns how many went. */
    int deleteIdleBefore(Instant cutoff);
}
