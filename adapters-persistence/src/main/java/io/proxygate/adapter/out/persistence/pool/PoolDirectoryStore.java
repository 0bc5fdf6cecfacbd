package io.proxygate.adapter.out.persistence.pool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.FileNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pool directory on disk: {@code chatgpt/}, {@code claude/} and {@code apikeys/}, one JSON credential per
 * file, in the Go original's formats. Scans report every bad file with a reason instead of failing; writes are
 * atomic and owner-only; {@link #watch(Runnable)} reports changes made by anyone (editors, the CLI, other tools).
 */
public final class PoolDirectoryStore implements PoolDirectoryPort {
    private static final Logger LOG = LoggerFactory.getLogger(PoolDirectoryStore.class);

    private final Path poolDir;
    private final InstantSource clock;
    private final PoolWatcher.Settings watchSettings;
    private final PoolWatcher.WatchServiceFactory watchServices;
    private final Map<PoolFolder, Path> folders = new EnumMap<>(PoolFolder.class);

    public PoolDirectoryStore(Path poolDir, InstantSource clock) {
        this(poolDir, clock, PoolWatcher.Settings.DEFAULT.rescanInterval());
    }

    /** @param rescanInterval how often {@link #watch} calls back even without file events (default 30 s) */
    public PoolDirectoryStore(Path poolDir, InstantSource clock, Duration rescanInterval) {
        this(poolDir, clock, PoolWatcher.Settings.DEFAULT.withRescanInterval(rescanInterval),
                () -> FileSystems.getDefault().newWatchService());
    }

    PoolDirectoryStore(Path poolDir, InstantSource clock, PoolWatcher.Settings watchSettings,
                       PoolWatcher.WatchServiceFactory watchServices) {
        this.poolDir = Objects.requireNonNull(poolDir, "poolDir").toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.watchSettings = Objects.requireNonNull(watchSettings, "watchSettings");
        this.watchServices = Objects.requireNonNull(watchServices, "watchServices");
        for (PoolFolder folder : PoolFolder.values()) {
            Path dir = this.poolDir.resolve(folder.dirName());
            folders.put(folder, dir);
            try {
                AtomicFiles.ensureDirectory(dir);
            } catch (IOException e) {
                // A read-only pool can still be listed; writes will report the problem themselves.
                LOG.warn("cannot create pool folder {}: {}", dir, e.toString());
            }
        }
    }

    public Path poolDir() {
        return poolDir;
    }

    /** The folder holding credentials of the given kind ({@code chatgpt}, {@code claude} or {@code apikeys}). */
    public Path folderFor(Credential credential) {
        return folders.get(PoolFolder.of(credential));
    }

    /**
     * Deletes temporary files left by a write that a crash (kill -9) interrupted: hidden, ending in {@code .tmp},
     * named after the file they were to replace, and written by a process that no longer runs. Such a file may hold a
     * token, and nothing else would ever remove it. Returns how many went.
     */
    public int removeStaleTempFiles() {
        int removed = 0;
        for (Path dir : folders.values()) {
            removed += AtomicFiles.removeStaleTemps(dir);
        }
        removed += AtomicFiles.removeStaleTemps(poolDir);
        if (removed > 0) {
            LOG.info("removed {} temporary pool files left by an interrupted write", removed);
        }
        return removed;
    }

    @Override
    public List<PoolFile> scan() {
        List<PoolFile> out = new ArrayList<>();
        for (Map.Entry<PoolFolder, Path> entry : folders.entrySet()) {
            Path dir = entry.getValue();
            if (!Files.isDirectory(dir)) {
                continue; // a missing folder is an empty pool, as in the original
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    if (!isHidden(file) && !Files.isDirectory(file)) {
                        read(entry.getKey(), file).ifPresent(out::add);
                    }
                }
            } catch (IOException | RuntimeException e) {
                out.add(PoolFile.broken(dir.toString(), "cannot list folder: " + e.getClass().getSimpleName()));
            }
        }
        return out;
    }

    /** Reads one file; empty when it vanished between listing and reading (the watcher will call back again). */
    private Optional<PoolFile> read(PoolFolder folder, Path file) {
        String path = file.toString();
        try {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(PoolJson.MAX_FILE_BYTES + 1);
            }
            if (bytes.length > PoolJson.MAX_FILE_BYTES) {
                return Optional.of(PoolFile.broken(path, "file is larger than 1 MiB; not a credential file"));
            }
            ObjectNode json = PoolJson.readObject(bytes);
            return Optional.of(PoolFile.loaded(path, PoolFileCodec.parse(folder, stem(file), json, clock.instant())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (PoolFormatException e) {
            return Optional.of(PoolFile.broken(path, e.getMessage()));
        } catch (IOException e) {
            return Optional.of(PoolFile.broken(path, "cannot read file: " + e.getClass().getSimpleName()));
        } catch (IllegalArgumentException e) {
            // A domain constructor refused a value (e.g. a blank id); its message names the field, not the secret.
            return Optional.of(PoolFile.broken(path, e.getMessage()));
        }
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        return new PoolWatcher(List.copyOf(folders.values()), onChange, watchSettings, watchServices).start();
    }

    @Override
    public void update(String path, Credential updated) {
        Path file = ownedFile(path);
        if (!file.getParent().equals(folderFor(updated))) {
            throw new IllegalArgumentException("a " + updated.kind() + " does not belong in " + file.getParent());
        }
        ObjectNode existing;
        try {
            existing = Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                    ? PoolJson.readObject(Files.readAllBytes(file)) : PoolJson.MAPPER.createObjectNode();
        } catch (PoolFormatException e) {
            // Nothing worth keeping in a file that does not parse: replace it whole.
            existing = PoolJson.MAPPER.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        writeFile(file, PoolFileCodec.write(updated, existing));
    }

    @Override
    public String add(Credential credential) {
        Path file = folderFor(credential).resolve(FileNames.sanitize(switch (credential) {
            case ChatGptAccount a -> a.email();
            case ClaudeAccount a -> a.email();
            case ApiKey k -> k.keyId();
        }) + ".json");
        writeFile(file, PoolFileCodec.write(credential, PoolJson.MAPPER.createObjectNode()));
        return file.toString();
    }

    @Override
    public void delete(String path) {
        Path file = ownedFile(path);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private void writeFile(Path file, ObjectNode json) {
        try {
            AtomicFiles.ensureDirectory(file.getParent());
            AtomicFiles.write(file, PoolJson.format(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Accepts only a {@code *.json} file directly inside one of the three folders: no traversal, no strays. */
    private Path ownedFile(String path) {
        if (path == null || path.isBlank() || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a pool file path");
        }
        Path file = poolDir.resolve(path).toAbsolutePath().normalize();
        if (!folders.containsValue(file.getParent()) || !file.getFileName().toString().endsWith(".json")
                || isHidden(file)) {
            throw new IllegalArgumentException("not a credential file of the pool directory: " + path);
        }
        return file;
    }

    private static boolean isHidden(Path file) {
        // Editor swap/lock files and our own temp files start with a dot.
        return file.getFileName().toString().startsWith(".");
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }
}
