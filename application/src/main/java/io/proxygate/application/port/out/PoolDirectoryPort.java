package io.proxygate.application.port.out;

import io.proxygate.domain.credential.Credential;

import java.util.List;
import java.util.Optional;

/**
 * The pool directory ({@code chatgpt/}, {@code claude/}, {@code apikeys/}): the source of truth for which
 * credentials exist. Every write is atomic (temp file in the same folder, fsync, rename) and leaves mode 0600.
 */
public interface PoolDirectoryPort {
    /** Reads every {@code *.json} file of the three folders; never throws for a bad file. */
    List<PoolFile> scan();

    /**
     * Watches the three folders and calls {@code onChange} (debounced, from a background thread) after files were
     * added, changed, renamed or removed, and periodically as a safety net. Closing stops watching.
     */
    AutoCloseable watch(Runnable onChange);

    /** Rewrites the file at {@code path} with {@code updated}'s fields, keeping fields this version does not know. */
    void update(String path, Credential updated);

    /**
     * Rewrites the controls fields of the file at {@code path} (atomically, keeping every other field).
     *
     * @throws IllegalArgumentException when the result is not valid (bad proxy URL, ...), naming the problem
     */
    default void updateControls(String path, ControlsEdit edit) {
        throw new UnsupportedOperationException("this pool directory cannot edit controls");
    }

    /**
     * Creates a new file named after the credential's email or id; never replaces an existing file (a taken name
     * gets a numbered variant). Returns its path.
     */
    String add(Credential credential);

    /** Removes the file for good. */
    void delete(String path);

    /**
     * Moves the file into the pool's {@code .deleted/} folder under a timestamped name, so a delete can be undone;
     * returns that name. A directory without such a folder deletes the file and returns empty.
     */
    default Optional<String> moveToDeleted(String path) {
        delete(path);
        return Optional.empty();
    }

    /** The files waiting in {@code .deleted/}, newest first. */
    default List<DeletedFile> deleted() {
        return List.of();
    }

    /**
     * Moves a deleted file back to its folder under its old name; returns its path there.
     *
     * @throws java.util.NoSuchElementException when no deleted file has that name
     * @throws IllegalStateException            when a file of that name is in the folder again (never overwritten)
     */
    default String restore(String name) {
        throw new java.util.NoSuchElementException("no deleted file " + name);
    }
}
