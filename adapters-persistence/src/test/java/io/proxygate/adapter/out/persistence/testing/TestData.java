package io.proxygate.adapter.out.persistence.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's {@code testdata/} folder from wherever the build runs the tests. */
public final class TestData {
    private TestData() {
    }

    public static Path imports(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("testdata/imports").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("testdata/imports/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    /** A file of the repository's {@code testdata/} folder, such as {@code bolt-fixture/proxygate.db}. */
    public static Path file(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("testdata").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("testdata/" + relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
