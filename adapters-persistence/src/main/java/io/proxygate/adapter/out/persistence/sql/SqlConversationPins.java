package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.ConversationPinPort;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.ConversationKey;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Conversation pins in the {@code conversation_pins} table, which every instance on the database reads. */
public final class SqlConversationPins implements ConversationPinPort {
    private static final String UPSERT = """
            INSERT INTO conversation_pins (conversation_key, credential_id, touched_at)
            VALUES (:key, :credential, :touchedAt)
            ON CONFLICT (conversation_key) DO UPDATE SET
                credential_id = excluded.credential_id,
                touched_at = excluded.touched_at
            """;

    private final Jdbi jdbi;
    private final ConversationPinDao dao;

    public SqlConversationPins(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.dao = jdbi.onDemand(ConversationPinDao.class);
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
    public void saveAll(Collection<SavedPin> pins) {
        if (pins.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch(UPSERT);
            for (SavedPin p : pins) {
                batch.bind("key", p.key().value()).bind("credential", p.credential().value())
                        .bind("touchedAt", p.touchedAt().toEpochMilli()).add();
            }
            batch.execute();
        });
    }

    @Override
    public List<SavedPin> live(Instant liveSince) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT conversation_key, credential_id, touched_at FROM conversation_pins
                        WHERE touched_at >= :liveSince ORDER BY touched_at
                        """)
                .bind("liveSince", liveSince.toEpochMilli())
                .map((rs, ctx) -> new SavedPin(new ConversationKey(rs.getString("conversation_key")),
                        new CredentialId(rs.getString("credential_id")), Instant.ofEpochMilli(rs.getLong("touched_at"))))
                .list());
    }

    @Override
    public int deleteIdleBefore(Instant cutoff) {
        return dao.deleteIdleBefore(cutoff.toEpochMilli());
    }
}
