package io.proxygate.adapter.out.persistence.pool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only, crash-safe file writes: a reader (or a crash) sees either the old file or the new one, never half a
 * credential, and no other user can read a token even for a moment.
 */
public final class AtomicFiles {
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to a 0600 temp file beside {@code target}, fsyncs it, then renames it over the target. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = writeTemp(dir, target, bytes);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /**
     * Like {@link #write}, but only when {@code target} does not exist yet: the complete file appears under its
     * name at once (a hard link of the synced temp file, which the kernel refuses atomically if the name is taken),
     * or nothing happens and the answer is false. An existing file is never touched.
     */
    static boolean createNew(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = writeTemp(dir, target, bytes);
        try {
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
                if (noLinks instanceof java.nio.file.FileAlreadyExistsException) {
                    return false;
                }
                // No hard links here: a move that refuses an existing target (not atomic against a racing writer).
                Files.move(temp, target);
            }
        } catch (java.nio.file.FileAlreadyExistsException taken) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
        return true;
    }

    private static Path writeTemp(Path dir, Path target, byte[] bytes) throws IOException {
        // Hidden and not ending in .json, so neither scans nor the watcher mistake it for a credential.
        Path temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(System.nanoTime()) + ".tmp");
        try (FileChannel channel = posix(dir)
                ? FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(FILE_MODE))
                : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /** {@code .<name>.<pid>.<hex>.tmp}: what {@link #write} leaves behind when the process dies mid-write. */
    private static final java.util.regex.Pattern TEMP = java.util.regex.Pattern.compile("^\\..+\\.(\\d+)\\.[0-9a-f]+\\.tmp$");

    /** Deletes the temp files in {@code dir} whose writing process is gone; returns how many. */
    static int removeStaleTemps(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path file : files) {
                java.util.regex.Matcher m = TEMP.matcher(file.getFileName().toString());
                if (!m.matches() || Files.isDirectory(file)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                // A live writer (the CLI, or this very process) may be about to rename its file: leave it.
                if (pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).isPresent()) {
                    continue;
                }
                if (Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Listing failed: the next start tries again.
        }
        return removed;
    }

    /** Creates {@code dir} (and missing parents) as 0700; tightens an existing one we write into to 0700. */
    public static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                if (posix(dir)) {
                    FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(DIR_MODE);
                    Files.createDirectories(dir, mode);
                } else {
                    Files.createDirectories(dir);
                }
            } catch (FileAlreadyExistsException e) {
                // Lost a race with another creator, or a file sits there: the next write reports the latter.
            }
        }
        if (posix(dir) && Files.isDirectory(dir) && !Files.getPosixFilePermissions(dir).equals(DIR_MODE)) {
            Files.setPosixFilePermissions(dir, DIR_MODE);
        }
    }

    static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is then best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the data itself was already forced before the rename.
        }
    }
}
