package io.proxygate.bootstrap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A small file of zeros kept in the data directory while there is room, and deleted when the database cannot be
 * opened for lack of it: SQLite must create its shared-memory and WAL files to open a database at all, so a server
 * restarted on a full disk would otherwise refuse to start.
 */
final class SpaceReserve {
    static final String FILE = ".space-reserve";
    static final int SIZE = 1024 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    SpaceReserve(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    /** Deletes the reserve; true when there was one to give up. */
    boolean release() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates the reserve when it is missing and the disk has room to spare (twice its size); never fails. It is
     * 0600 like every file the server writes (one left 0644 by an earlier version is tightened).
     */
    void ensure() {
        try {
            if (Files.exists(file)) {
                ownerOnly(file);
                return;
            }
            if (Files.getFileStore(file.getParent()).getUsableSpace() < 2L * SIZE) {
                return;
            }
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.deleteIfExists(tmp); // a leftover keeps its mode: the new file is created with ours
            try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(tmp, Set.of(
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnlyAttribute(tmp)))) {
                out.write(new byte[SIZE]);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(file.resolveSibling(FILE + ".tmp"));
            } catch (IOException ignored) {
                // nothing more to do: the reserve is a convenience
            }
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] ownerOnlyAttribute(Path path) {
        return posix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    private static void ownerOnly(Path path) throws IOException {
        if (posix(path) && !Files.getPosixFilePermissions(path).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(path, OWNER_ONLY);
        }
    }
}
