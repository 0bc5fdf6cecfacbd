package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server started on a data directory and a pool folder someone left open: both folders, every database file and
 * the space reserve end up private.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FilePermissionsSystemIT {
    private static final Path ROOT = openDataDir();
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP =
            ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, Map.of()));

    private static Path openDataDir() {
        try {
            Path root = Files.createTempDirectory("proxygate-perms");
            Path data = Files.createDirectories(root.resolve("data"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path pool = Files.createDirectories(root.resolve("pool"));
            Files.setPosixFilePermissions(pool, PosixFilePermissions.fromString("rwxrwxrwx"));
            return root;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anExistingDataDirIsTightenedTo0700() throws IOException {
        assertThat(mode(ROOT.resolve("data"))).isEqualTo("rwx------");
    }

    @Test
    void anExistingPoolDirOpenToEveryoneIsTightenedTo0700() throws IOException {
        assertThat(mode(ROOT.resolve("pool"))).isEqualTo("rwx------");
    }

    @Test
    void theDatabaseItsWalAndShmAndTheSpaceReserveAreOwnerOnly() throws IOException {
        for (String name : List.of("proxygate.db", "proxygate.db-wal", "proxygate.db-shm", ".space-reserve")) {
            Path file = ROOT.resolve("data").resolve(name);
            assertThat(file).as(name).exists();
            assertThat(mode(file)).as(name).isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
