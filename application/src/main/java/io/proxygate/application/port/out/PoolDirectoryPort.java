package io.proxygate.application.port.out;

import io.proxygate.domain.credential.Credential;

import java.util.List;

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
     * Creates a new file named after the credential's email or id; never replaces an existing file (a taken name
     * gets a numbered variant). Returns its path.
     */
    String add(Credential credential);

    /** Removes the file. */
    void delete(String path);
}
