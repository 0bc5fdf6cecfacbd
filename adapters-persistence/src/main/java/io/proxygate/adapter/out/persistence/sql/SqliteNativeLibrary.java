package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.adapter.out.persistence.pool.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Has the SQLite driver load its native library from a copy kept beside the database instead of unpacking it from
 * the jar at every start. Left to itself, the driver writes the 1 MiB library into the temporary folder under a new
 * random name, reads both back byte by byte to compare them, and leaves the file behind when the JVM is killed: 80 ms
 * of a start's main thread here, and litter in {@code /tmp}.
 *
 * <p>The copy's name holds the driver's version and the library's CRC-32 in the jar, so another driver makes another
 * copy (and the old one is deleted). It is written under a temporary name and renamed into place, so a half-written
 * copy is never loaded. It lives in the database's folder, which only its owner can write (the data folder is 0700),
 * so nobody else can swap the library. When anything here fails, or the user chose a library with the driver's own
 * {@code org.sqlite.lib.path} or {@code org.sqlite.lib.name}, the driver finds its library as before.
 */
final class SqliteNativeLibrary {
    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";
    static final String PREFIX = ".sqlite-native-";
    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);

    private SqliteNativeLibrary() {
    }

    /** Points the driver at the copy in {@code folder}, writing it first when it is missing or stale. */
    static synchronized void useCopyIn(Path folder) {
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
            return;
        }
        String resourceFolder = LibraryLoaderUtil.getNativeLibResourcePath();
        String library = LibraryLoaderUtil.getNativeLibName();
        URL resource = SQLiteJDBCLoader.class.getResource(resourceFolder + "/" + library);
        if (resource == null) {
            return;
        }
        try {
            Path copy = copyIn(folder, resource, library);
            System.setProperty(NAME_PROPERTY, copy.getFileName().toString());
            System.setProperty(PATH_PROPERTY, copy.getParent().toString());
        } catch (IOException | RuntimeException e) {
            LOG.debug("SQLite's native library stays with the driver's own unpacking: {}", e.toString());
        }
    }

    /** The copy of {@code resource} in {@code folder}: the one already there when its size matches, else a new one. */
    static Path copyIn(Path folder, URL resource, String library) throws IOException {
        Fingerprint jarEntry = fingerprint(resource);
        Path copy = folder.toAbsolutePath().normalize().resolve(PREFIX + SQLiteJDBCLoader.getVersion() + "-"
                + Long.toHexString(jarEntry.crc()) + "-" + library);
        if (Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS) && Files.size(copy) == jarEntry.size()) {
            return copy;
        }
        byte[] bytes;
        try (InputStream in = resource.openStream()) {
            bytes = in.readAllBytes();
        }
        AtomicFiles.write(copy, bytes);
        removeOtherCopies(copy);
        return copy;
    }

    private record Fingerprint(long crc, long size) {
    }

    /** The jar's own CRC and size of the entry (no need to unpack it); read from the bytes for a plain file. */
    private static Fingerprint fingerprint(URL resource) throws IOException {
        URLConnection connection = resource.openConnection();
        if (connection instanceof JarURLConnection jar && jar.getJarEntry() != null
                && jar.getJarEntry().getCrc() >= 0 && jar.getJarEntry().getSize() >= 0) {
            return new Fingerprint(jar.getJarEntry().getCrc(), jar.getJarEntry().getSize());
        }
        try (InputStream in = connection.getInputStream()) {
            byte[] bytes = in.readAllBytes();
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return new Fingerprint(crc.getValue(), bytes.length);
        }
    }

    /** Copies made for another driver or library: nothing loads them any more. */
    private static void removeOtherCopies(Path keep) {
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(keep.getParent(), PREFIX + "*")) {
            for (Path other : copies) {
                if (!other.equals(keep) && !other.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(other);
                }
            }
        } catch (IOException e) {
            // A copy left over costs disk space only; the next new driver tries again.
        }
    }
}
