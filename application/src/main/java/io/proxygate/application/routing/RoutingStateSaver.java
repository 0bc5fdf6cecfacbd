package io.proxygate.application.routing;

import io.proxygate.application.port.out.CredentialStatePort;
import io.proxygate.application.port.out.CredentialStateRecord;
import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes the router's per-credential state to {@link CredentialStatePort}: changes that alter eligibility at once,
 * routine ones (last use, ordinary window updates) at most every {@link #SAVE_INTERVAL_MILLIS} per credential.
 * A failing store never stops routing.
 *
 * <p>The server writes behind ({@link #writeBehind}): a request only notes its credential's latest state, and
 * {@link #flush}, called a few times a second off the request path, writes what was noted. Written from the
 * request's thread, a store that was slow for a moment (SQLite busy with another writer, a PostgreSQL hiccup) held
 * up that request and, through the credential's lock, every other request on the same credential, for up to the
 * store's busy timeout. Until then (and in tests) each change is written at once, as it is made.
 */
final class RoutingStateSaver {
    private static final System.Logger LOG = System.getLogger(RoutingStateSaver.class.getName());
    static final long SAVE_INTERVAL_MILLIS = 30_000;

    private final CredentialStatePort statePort;
    /** One entry per credential with something to write, however often its state changed meanwhile. */
    private final ConcurrentHashMap<CredentialId, Pending> unsaved = new ConcurrentHashMap<>();
    private volatile boolean behind;

    /**
     * What is still to be written for one credential: the saved cooldown to clear first (an operator's reset), then
     * its latest state.
     */
    private record Pending(boolean clearCooldown, CredentialStateRecord record) {
    }

    RoutingStateSaver(CredentialStatePort statePort) {
        this.statePort = statePort;
    }

    /** From now on changes are noted and written by {@link #flush}. */
    void writeBehind() {
        behind = true;
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
            // Noted under the credential's lock, so the entry always holds the latest of its records.
            Pending latest = new Pending(false, record.get());
            if (behind) {
                unsaved.merge(rt.id, latest, (waiting, next) -> new Pending(waiting.clearCooldown(), next.record()));
            } else {
                write(rt.id, latest);
            }
        }
    }

    /** An operator's reset reaches the store even when the saved cooldown is newer than ours. */
    void clearCooldown(CredentialId id) {
        Pending clear = new Pending(true, null);
        if (behind) {
            // A record still waiting may hold the cooldown being cleared: it goes, and the caller notes the state as
            // it is now right after.
            unsaved.put(id, clear);
        } else {
            write(id, clear);
        }
    }

    /**
     * Writes what was noted since the last call; returns how many credentials. One flush at a time, so one
     * credential's writes keep their order. A write that fails is kept for the next flush unless newer state
     * replaced it.
     */
    synchronized int flush() {
        int written = 0;
        for (CredentialId id : unsaved.keySet()) {
            Pending pending = unsaved.remove(id);
            if (pending == null) {
                continue;
            }
            if (write(id, pending)) {
                written++;
            } else {
                unsaved.merge(id, pending, (newer, failed) ->
                        new Pending(newer.clearCooldown() || failed.clearCooldown(), newer.record()));
            }
        }
        return written;
    }

    private boolean write(CredentialId id, Pending pending) {
        try {
            if (pending.clearCooldown()) {
                statePort.clearCooldown(id);
            }
            if (pending.record() != null) {
                statePort.save(pending.record());
            }
            return true;
        } catch (RuntimeException e) {
            // Routing must go on when the store hiccups.
            LOG.log(System.Logger.Level.WARNING, "could not save routing state of " + id + ": " + e);
            return false;
        }
    }
}
