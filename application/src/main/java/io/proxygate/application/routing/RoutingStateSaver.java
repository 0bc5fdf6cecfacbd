package io.proxygate.application.routing;

import io.proxygate.application.port.out.CredentialStatePort;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/**
 * Writes the router's per-credential state to {@link CredentialStatePort}: changes that alter eligibility at once,
 * routine ones (last use, ordinary window updates) at most every {@link #SAVE_INTERVAL_MILLIS} per credential.
 * A failing store never stops routing; the next change saves again.
 */
final class RoutingStateSaver {
    private static final System.Logger LOG = System.getLogger(RoutingStateSaver.class.getName());
    static final long SAVE_INTERVAL_MILLIS = 30_000;

    private final CredentialStatePort statePort;

    RoutingStateSaver(CredentialStatePort statePort) {
        this.statePort = statePort;
    }

    /** What every instance saved: read at construction, and by instances sharing a database every few seconds. */
    Collection<CredentialStateRecord> loadAll() {
        return statePort.loadAll().values();
    }

    void save(CredentialRuntime rt, boolean force, Instant now) {
        synchronized (rt) {
            Optional<CredentialStateRecord> record = rt.recordIfDue(force, now.toEpochMilli(), SAVE_INTERVAL_MILLIS);
            if (record.isEmpty()) {
                return;
            }
            try {
                statePort.save(record.get());
            } catch (RuntimeException e) {
                // Routing must go on when the store hiccups; the next change saves the state again.
                LOG.log(System.Logger.Level.WARNING, "could not save routing state of " + rt.id + ": " + e);
            }
        }
    }

    /** An operator's reset reaches the store even when the saved cooldown is newer than ours. */
    void clearCooldown(CredentialId id) {
        try {
            statePort.clearCooldown(id);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not clear the saved cooldown of " + id + ": " + e);
        }
    }
}
