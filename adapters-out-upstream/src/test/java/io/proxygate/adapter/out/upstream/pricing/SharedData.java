package io.proxygate.adapter.out.upstream.pricing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared test data ({@code shared/data/} next to the repository) by walking up from the working
 * directory, so tests work from the module folder, the repository root or a worktree.
 */
final class SharedData {
    private SharedData() {
    }

    static Path file(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
