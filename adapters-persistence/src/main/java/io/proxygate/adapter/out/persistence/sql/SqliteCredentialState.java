package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.CredentialStatePort;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;
import org.jdbi.v3.core.Jdbi;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Credential runtime state in the {@code credential_state} table. A save is one small upsert; in WAL mode it
 * does not wait for a disk flush, so it is cheap enough for the paths that mark cooldowns.
 */
public final class SqliteCredentialState implements CredentialStatePort {
    private final CredentialStateDao dao;
    private final InstantSource clock;

    /** @param clock stamps {@code updated_at} */
    public SqliteCredentialState(Jdbi jdbi, InstantSource clock) {
        this.dao = Objects.requireNonNull(jdbi, "jdbi").onDemand(CredentialStateDao.class);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Map<CredentialId, CredentialStateRecord> loadAll() {
        Map<CredentialId, CredentialStateRecord> out = new LinkedHashMap<>();
        for (CredentialStateRow row : dao.loadAll()) {
            CredentialStateRecord state = RowMapping.toRecord(row);
            out.put(state.id(), state);
        }
        return out;
    }

    @Override
    public void save(CredentialStateRecord state) {
        dao.upsert(RowMapping.toRow(state, clock.instant()));
    }
}
