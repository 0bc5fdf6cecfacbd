package io.proxygate.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class SpaceReserveTest {
    @Test
    void theReserveIsCreatedOwnerOnlyAndAnOpenOneIsTightened(@TempDir Path data) throws IOException {
        Path file = data.resolve(SpaceReserve.FILE);
        // A leftover temp file from a crash, open to everyone: its mode must not carry over.
        Path tmp = data.resolve(SpaceReserve.FILE + ".tmp");
        Files.write(tmp, new byte[1]);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-rw-rw-"));

        new SpaceReserve(data).ensure();
        assertThat(Files.size(file)).isEqualTo(SpaceReserve.SIZE);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(tmp).doesNotExist();

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new SpaceReserve(data).ensure();
        assertThat(mode(file)).as("as an earlier version left it").isEqualTo("rw-------");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
