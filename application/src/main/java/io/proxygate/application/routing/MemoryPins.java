package io.proxygate.application.routing;

import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.ConversationPins;

import java.time.Instant;
import java.util.Optional;

/** Conversation pins in this instance's memory: what a pin table for one instance reads and writes first. */
class MemoryPins implements PinTable {
    private final ConversationPins pins;

    MemoryPins(ConversationPins pins) {
        this.pins = pins;
    }

    @Override
    public Optional<CredentialId> lookup(ConversationKey key, Instant now) {
        return pins.lookup(key, now);
    }

    @Override
    public void pin(ConversationKey key, CredentialId credential, Instant now) {
        pins.pin(key, credential, now);
    }

    @Override
    public int sweep(Instant now) {
        return pins.sweep(now);
    }
}
