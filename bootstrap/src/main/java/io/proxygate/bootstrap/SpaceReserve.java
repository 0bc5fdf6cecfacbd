package io.proxygate.bootstrap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small file of zeros kept in the data directory while there is room, and deleted when the database cannot be
 * opened for lack of it: SQLite must create its shared-memory and WAL files to open a database at all, so a server
 * restarted on a full disk would otherwise refuse to start.
 */
final class SpaceReserve {
    static final String FILE = ".space-reserve";
    static final int SIZE = 1024 * 1024;

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

    /** Creates the reserve when it is missing and the disk has room to spare (twice its size); never fails. */
    void ensure() {
        try {
            if (Files.exists(file) || Files.getFileStore(file.getParent()).getUsableSpace() < 2L * SIZE) {
                return;
            }
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
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
}
