package io.proxygate.bootstrap;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository (testdata/) and of the shared folder beside it, from any module directory. */
public final class TestPaths {
    private TestPaths() {
    }

    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("testdata/ not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    public static Path testdata(String relative) {
        return repoRoot().resolve("testdata").resolve(relative);
    }
}
