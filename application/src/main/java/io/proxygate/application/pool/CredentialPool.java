package io.proxygate.application.pool;

import io.proxygate.application.port.out.DeletedFile;
import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live set of credentials, mirrored from the pool directory. Reads are lock-free snapshots; {@link #reload()}
 * rescans the directory and publishes a new snapshot, so it is idempotent and safe to call after our own writes.
 */
public final class CredentialPool {
    /** An immutable view of the pool at one moment. */
    public record Snapshot(Map<CredentialId, PoolEntry> entries, List<PoolFile> problems) {
        public Snapshot {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            problems = List.copyOf(problems);
        }

        public List<Credential> credentials() {
            return entries.values().stream().map(PoolEntry::credential).toList();
        }

        /** Whether any credential matches; asked on every request, so it walks the entries without a copy. */
        public boolean anyCredential(java.util.function.Predicate<Credential> test) {
            for (PoolEntry entry : entries.values()) {
                if (test.test(entry.credential())) {
                    return true;
                }
            }
            return false;
        }

        public Optional<PoolEntry> entry(CredentialId id) {
            return Optional.ofNullable(entries.get(id));
        }
    }

    private final PoolDirectoryPort directory;
    private final List<Consumer<PoolChange>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of());

    public CredentialPool(PoolDirectoryPort directory) {
        this.directory = directory;
    }

    public void addListener(Consumer<PoolChange> listener) {
        listeners.add(listener);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Rescans the directory, publishes the new pool and tells listeners what changed. */
    public synchronized PoolChange reload() {
        List<PoolFile> files = new ArrayList<>(directory.scan());
        files.sort(Comparator.comparing(PoolFile::path));
        Map<CredentialId, PoolEntry> next = new LinkedHashMap<>();
        List<PoolFile> problems = new ArrayList<>();
        for (PoolFile file : files) {
            if (file.credential().isEmpty()) {
                problems.add(file);
                continue;
            }
            Credential credential = file.credential().get();
            PoolEntry previous = next.putIfAbsent(credential.id(), new PoolEntry(credential, file.path(),
                    file.controls()));
            if (previous != null) {
                problems.add(PoolFile.broken(file.path(),
                        "duplicate of " + previous.path() + " (same " + credential.id() + "); ignored"));
            }
        }
        Map<CredentialId, PoolEntry> before = snapshot.entries();
        Set<CredentialId> added = new HashSet<>();
        Set<CredentialId> changed = new HashSet<>();
        Set<CredentialId> tokensChanged = new HashSet<>();
        for (Map.Entry<CredentialId, PoolEntry> e : next.entrySet()) {
            PoolEntry old = before.get(e.getKey());
            if (old == null) {
                added.add(e.getKey());
            } else if (!old.equals(e.getValue())) {
                changed.add(e.getKey());
                if (!accessToken(old.credential()).equals(accessToken(e.getValue().credential()))) {
                    tokensChanged.add(e.getKey());
                }
            }
        }
        Set<CredentialId> removed = new HashSet<>(before.keySet());
        removed.removeAll(next.keySet());
        snapshot = new Snapshot(next, problems);
        PoolChange change = new PoolChange(added, changed, removed, tokensChanged);
        if (!change.isEmpty()) {
            listeners.forEach(l -> l.accept(change));
        }
        return change;
    }

    /**
     * Finds a credential by what a user types: a ChatGPT email, then an API key id, then a Claude email (the
     * first match wins, so a label shared by two kinds always means the same one).
     */
    public Optional<PoolEntry> findByLabel(String label) {
        for (CredentialId id : List.of(CredentialId.chatgpt(label), CredentialId.apiKey(label), CredentialId.claude(label))) {
            Optional<PoolEntry> entry = snapshot.entry(id);
            if (entry.isPresent()) {
                return entry;
            }
        }
        return Optional.empty();
    }

    /** Writes the new disabled flag to the credential's file and reloads; returns the updated entry. */
    public synchronized PoolEntry setDisabled(PoolEntry entry, boolean disabled) {
        Credential updated = entry.credential().withDisabled(disabled);
        directory.update(entry.path(), updated);
        reload();
        return new PoolEntry(updated, entry.path(), entry.controls());
    }

    /** Writes new controls into the credential's file and reloads; returns the updated entry. */
    public synchronized PoolEntry updateControls(PoolEntry entry, io.proxygate.application.port.out.ControlsEdit edit) {
        directory.updateControls(entry.path(), edit);
        reload();
        return snapshot.entry(entry.credential().id()).orElse(entry);
    }

    /** Persists new credential contents (for example refreshed tokens) to its file and reloads. */
    public synchronized void update(PoolEntry entry, Credential updated) {
        directory.update(entry.path(), updated);
        reload();
    }

    /** Writes a new credential file and reloads; returns its path. */
    public synchronized String add(Credential credential) {
        String path = directory.add(credential);
        reload();
        return path;
    }

    /**
     * Moves the credential's file to the pool's {@code .deleted/} folder and reloads; returns the name it has
     * there (empty where the directory keeps no deleted files).
     */
    public synchronized Optional<String> remove(PoolEntry entry) {
        Optional<String> deletedAs = directory.moveToDeleted(entry.path());
        reload();
        return deletedAs;
    }

    /** Files removed by {@link #remove}, newest first. */
    public List<DeletedFile> deleted() {
        return directory.deleted();
    }

    /**
     * Puts a deleted file back and reloads; returns its path. A file of the same name, or a credential of the same
     * id, already in the pool is a conflict: restoring never replaces anything.
     *
     * @throws java.util.NoSuchElementException when there is no deleted file of that name
     * @throws IllegalStateException            on a conflict
     */
    public synchronized String restore(String name) {
        DeletedFile file = directory.deleted().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new java.util.NoSuchElementException("no deleted file " + name));
        Optional<Credential> credential = file.content().credential();
        if (credential.isPresent() && snapshot.entry(credential.get().id()).isPresent()) {
            throw new IllegalStateException(credential.get().label() + " is in the pool again (in "
                    + snapshot.entry(credential.get().id()).get().path() + "); delete that first to restore this one");
        }
        String path = directory.restore(name);
        reload();
        return path;
    }

    private static String accessToken(Credential credential) {
        return switch (credential) {
            case ChatGptAccount a -> a.tokens().accessToken().reveal();
            case ClaudeAccount a -> a.tokens().accessToken().reveal();
            case ApiKey k -> k.key().reveal();
        };
    }
}
