package io.proxygate.application.port.out;

import java.time.Instant;
import java.util.Objects;

/**
 * A credential file moved aside by a delete, waiting in {@code <pool_dir>/.deleted/} to be restored.
 *
 * @param name      its name in the {@code .deleted} folder (what restore takes)
 * @param folder    the pool folder it came from ({@code chatgpt}, {@code claude} or {@code apikeys})
 * @param fileName  its name there, which restoring gives it back
 * @param deletedAt when it was deleted
 * @param content   what the file holds (the credential, or why it cannot be read)
 */
public record DeletedFile(String name, String folder, String fileName, Instant deletedAt, PoolFile content) {
    public DeletedFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(deletedAt, "deletedAt");
        Objects.requireNonNull(content, "content");
    }
}
