package io.proxygate.adapter.out.persistence.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteNativeLibraryTest {
    private static final String LIBRARY = LibraryLoaderUtil.getNativeLibName();
    private static final URL IN_JAR = SQLiteJDBCLoader.class.getResource(
            LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LIBRARY);

    @Test
    void theFirstCopyIsTheJarsLibraryOwnerOnlyAndNamedAfterTheDriver(@TempDir Path folder) throws IOException {
        Path copy = SqliteNativeLibrary.copyIn(folder, IN_JAR, LIBRARY);

        assertThat(copy.getParent()).isEqualTo(folder.toAbsolutePath());
        assertThat(copy.getFileName().toString()).startsWith(".sqlite-native-" + SQLiteJDBCLoader.getVersion() + "-")
                .endsWith("-" + LIBRARY);
        assertThat(Files.readAllBytes(copy)).isEqualTo(jarBytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
        assertThat(names(folder)).containsExactly(copy.getFileName().toString());
    }

    @Test
    void aLaterStartUsesTheCopyAsItIs(@TempDir Path folder) throws IOException {
        Path copy = SqliteNativeLibrary.copyIn(folder, IN_JAR, LIBRARY);
        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(copy, written);

        assertThat(SqliteNativeLibrary.copyIn(folder, IN_JAR, LIBRARY)).isEqualTo(copy);
        assertThat(Files.getLastModifiedTime(copy)).as("not written again").isEqualTo(written);
    }

    @Test
    void aCopyCutShortIsWrittenAgain(@TempDir Path folder) throws IOException {
        Path copy = SqliteNativeLibrary.copyIn(folder, IN_JAR, LIBRARY);
        Files.write(copy, new byte[100]);

        SqliteNativeLibrary.copyIn(folder, IN_JAR, LIBRARY);

        assertThat(Files.readAllBytes(copy)).isEqualTo(jarBytes());
    }

    @Test
    void anotherDriversCopyIsDeletedWhenTheNewOneIsWritten(@TempDir Path folder) throws IOException {
        Path old = Files.writeString(folder.resolve(".sqlite-native-3.0.0.0-abc-" + LIBRARY), "old library");
        Path unrelated = Files.writeString(folder.resolve("proxygate.db"), "data");

        Path copy = SqliteNativeLibrary.copyIn(folder, IN_JAR, LIBRARY);

        assertThat(old).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(names(folder)).containsExactlyInAnyOrder(copy.getFileName().toString(), "proxygate.db");
    }

    @Test
    void aLibraryOutsideAJarIsNamedAfterItsOwnBytes(@TempDir Path folder) throws IOException {
        Path plain = Files.write(folder.resolve("plain-" + LIBRARY), jarBytes());
        Path copies = Files.createDirectory(folder.resolve("copies"));

        Path fromFile = SqliteNativeLibrary.copyIn(copies, plain.toUri().toURL(), LIBRARY);
        Path fromJar = SqliteNativeLibrary.copyIn(copies, IN_JAR, LIBRARY);

        assertThat(fromFile).as("the same CRC-32, from the bytes and from the jar's entry").isEqualTo(fromJar);
    }

    private static byte[] jarBytes() throws IOException {
        try (InputStream in = IN_JAR.openStream()) {
            return in.readAllBytes();
        }
    }

    private static java.util.List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
