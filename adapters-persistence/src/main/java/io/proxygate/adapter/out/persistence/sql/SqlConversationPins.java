package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.ConversationPinPort;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Conversation pins in the {@code conversation_pins} table, which every instance on the database reads. */
public final class SqlConversationPins implements ConversationPinPort {
    private final ConversationPinDao dao;

    public SqlConversationPins(Jdbi jdbi) {
        this.dao = Objects.requireNonNull(jdbi, "jdbi").onDemand(ConversationPinDao.class);
    }

    @Override
    public Optional<CredentialId> find(ConversationKey key, Instant liveSince) {
        return dao.find(key.value(), liveSince.toEpochMilli()).map(CredentialId::new);
    }

    @Override
    public void save(ConversationKey key, CredentialId credential, Instant at) {
        dao.save(key.value(), credential.value(), at.toEpochMilli());
    }

    @Override
    public int deleteIdleBefore(Instant cutoff) {
        return dao.deleteIdleBefore(cutoff.toEpochMilli());
    }
}
