package io.proxygate.adapter.out.upstream.pricing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository's committed test data ({@code testdata/litellm/}) by walking up from the working directory,
 * so tests work from the module folder or the repository root.
 */
final class TestData {
    private TestData() {
    }

    static Path litellm(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testdata").resolve("litellm").resolve(name);
            if (Files.isRegularFile(candidate) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("testdata/litellm/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
