package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.CredentialStatePort;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Credential runtime state in the {@code credential_state} table, on SQLite or PostgreSQL. A save is one small
 * upsert; on SQLite in WAL mode it does not wait for a disk flush, so it is cheap enough for the paths that mark
 * cooldowns. Saves merge with what other instances saved (see {@link CredentialStateDao}), so a row may keep a
 * cooldown that has since run out: reads leave such a cooldown out.
 */
public final class SqlCredentialState implements CredentialStatePort {
    private final CredentialStateDao dao;
    private final InstantSource clock;

    /** @param clock stamps {@code updated_at} and tells which cooldowns have run out */
    public SqlCredentialState(Jdbi jdbi, InstantSource clock) {
        this.dao = Objects.requireNonNull(jdbi, "jdbi").onDemand(CredentialStateDao.class);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Map<CredentialId, CredentialStateRecord> loadAll() {
        Map<CredentialId, CredentialStateRecord> out = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (CredentialStateRow row : dao.loadAll()) {
            CredentialStateRecord state = RowMapping.toRecord(row);
            if (state.cooldownUntil().isPresent() && !state.cooldownUntil().get().isAfter(now)) {
                state = new CredentialStateRecord(state.id(), Optional.empty(), Optional.empty(),
                        state.needsLoginReason(), state.failureStreak(), state.windows(), state.lastUsed(),
                        state.needsLoginChangedAt());
            }
            out.put(state.id(), state);
        }
        return out;
    }

    @Override
    public void save(CredentialStateRecord state) {
        dao.upsert(RowMapping.toRow(state, clock.instant()));
    }

    @Override
    public void clearCooldown(CredentialId id) {
        dao.clearCooldown(id.value(), clock.millis());
    }
}
