package io.proxygate.adapter.out.persistence.pool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.port.out.DeletedFile;
import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.FileNames;
import io.proxygate.domain.credential.OAuthTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pool directory on disk: {@code chatgpt/}, {@code claude/} and {@code apikeys/}, one JSON credential per
 * file (formats in README, "Adding accounts"). Scans report every bad file with a reason instead of failing; writes
 * are atomic and owner-only; {@link #watch(Runnable)} reports changes made by anyone (editors, the CLI, other tools).
 */
public final class PoolDirectoryStore implements PoolDirectoryPort {
    private static final int MAX_NAME_SUFFIX = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(PoolDirectoryStore.class);
    /** Where deleted credential files wait to be restored. */
    public static final String DELETED_DIR = ".deleted";
    /** UTC, sortable, no characters that need escaping in a URL path or a shell. */
    private static final java.time.format.DateTimeFormatter DELETED_STAMP =
            java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final java.util.regex.Pattern DELETED_NAME =
            java.util.regex.Pattern.compile("(chatgpt|claude|apikeys)\\.(.+)\\.(\\d{8}T\\d{9}Z)(?:-\\d+)?\\.json");

    private final Path poolDir;
    private final InstantSource clock;
    private final PoolWatcher.Settings watchSettings;
    private final PoolWatcher.WatchServiceFactory watchServices;
    private final Map<PoolFolder, Path> folders = new EnumMap<>(PoolFolder.class);
    /**
     * What each file held when last read, keyed by path, with the attributes it had then: a rescan (every file event,
     * every 30 s) re-reads only files whose size, modification time or identity changed. At 10,000 files, reading and
     * parsing all of them made a one-file edit take over a second to apply.
     */
    private final java.util.concurrent.ConcurrentHashMap<Path, ReadFile> lastRead = new java.util.concurrent.ConcurrentHashMap<>();

    /** A file's parsed content and the attributes it was read with; reusable until {@code validUntil}. */
    private record ReadFile(FileTime modified, long size, Object key, PoolFile file, Instant validUntil) {
        boolean matches(BasicFileAttributes attrs, Instant now) {
            return attrs.size() == size && attrs.lastModifiedTime().equals(modified)
                    && Objects.equals(attrs.fileKey(), key) && now.isBefore(validUntil);
        }
    }

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
        ensurePrivateRoot(this.poolDir);
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

    /**
     * The pool folder holds every credential's folder: created 0700, and an existing one open to other users is
     * tightened like its sub-folders (anyone who can write to it can swap a credential folder for their own), and
     * said so, since its owner may have widened it on purpose.
     */
    private static void ensurePrivateRoot(Path root) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> before =
                    Files.isDirectory(root) && AtomicFiles.posix(root) ? Files.getPosixFilePermissions(root) : null;
            AtomicFiles.ensureDirectory(root);
            if (before != null && !before.equals(AtomicFiles.DIR_MODE)) {
                // Writable by others is the danger (they could swap a credential folder for their own) and worth a
                // warning; a folder merely listable, as a fresh clone's pool/ is, only needs saying.
                boolean writable = before.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                        || before.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
                String mode = java.nio.file.attribute.PosixFilePermissions.toString(before);
                if (writable) {
                    LOG.warn("pool_dir {} was {}, writable by others; now rwx------ (it holds every credential)",
                            root, mode);
                } else {
                    LOG.info("pool_dir {} was {}; now rwx------ (it holds every credential)", root, mode);
                }
            }
        } catch (IOException e) {
            // Not ours to change (a shared or root-owned folder), or read-only: the pool can still be listed, and
            // the files and sub-folders we write stay owner-only.
            LOG.warn("pool_dir {} could not be made owner-only: {}", root, e.toString());
        }
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
        java.util.Set<Path> seen = new java.util.HashSet<>();
        for (Map.Entry<PoolFolder, Path> entry : folders.entrySet()) {
            Path dir = entry.getValue();
            if (!Files.isDirectory(dir)) {
                continue; // a missing folder is an empty pool, not an error
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    if (isHidden(file) || Files.isDirectory(file)) {
                        continue;
                    }
                    if (!Files.isRegularFile(file)) {
                        // Opening a FIFO blocks until someone writes to it, which would hang every reload (and
                        // `status`); devices and sockets are no credential either. Checked by type, never opened.
                        LOG.warn("skipping {}: not a regular file", file);
                        out.add(PoolFile.broken(file.toString(), "not a regular file (FIFO, device or socket); skipped"));
                        continue;
                    }
                    seen.add(file);
                    readUnlessUnchanged(entry.getKey(), file).ifPresent(out::add);
                }
            } catch (IOException | RuntimeException e) {
                out.add(PoolFile.broken(dir.toString(), "cannot list folder: " + e.getClass().getSimpleName()));
            }
        }
        lastRead.keySet().retainAll(seen);
        return out;
    }

    /**
     * The file's content as last read when its size, modification time and identity (inode) are unchanged, else
     * read now. Only a loaded credential is kept, and only until its token would expire when it cannot be
     * refreshed (parsing rejects such a file from then on). Writes here go through a temporary file and a rename, so
     * every change gives the path a new identity.
     */
    private Optional<PoolFile> readUnlessUnchanged(PoolFolder folder, Path file) {
        Instant now = clock.instant();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            lastRead.remove(file);
            return read(folder, file);
        }
        ReadFile cached = lastRead.get(file);
        if (cached != null && cached.matches(attrs, now)) {
            return Optional.of(cached.file());
        }
        Optional<PoolFile> read = read(folder, file);
        Instant validUntil = read.flatMap(PoolFile::credential).map(PoolDirectoryStore::reusableUntil).orElse(null);
        if (validUntil != null) {
            lastRead.put(file, new ReadFile(attrs.lastModifiedTime(), attrs.size(), attrs.fileKey(), read.get(),
                    validUntil));
        } else {
            lastRead.remove(file);
        }
        return read;
    }

    /** Until when parsing this credential again would give the same answer (see {@code PoolFileCodec.requireUsable}). */
    private static Instant reusableUntil(Credential credential) {
        Optional<OAuthTokens> tokens = switch (credential) {
            case ChatGptAccount a -> Optional.of(a.tokens());
            case ClaudeAccount a -> Optional.of(a.tokens());
            case ApiKey k -> Optional.empty();
        };
        return tokens.filter(t -> t.refreshToken().isEmpty()).flatMap(OAuthTokens::expiresAt).orElse(Instant.MAX);
    }

    /** Reads one file; empty when it vanished between listing and reading (the watcher will call back again). */
    private Optional<PoolFile> read(PoolFolder folder, Path file) {
        return read(folder, file, stem(file));
    }

    /** @param stem the name the file's id defaults to (a deleted file's name carries more than that) */
    private Optional<PoolFile> read(PoolFolder folder, Path file, String stem) {
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
            return Optional.of(PoolFile.loaded(path, PoolFileCodec.parse(folder, stem, json, clock.instant()),
                    PoolFileCodec.controls(json)));
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
            existing = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
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
    public void updateControls(String path, io.proxygate.application.port.out.ControlsEdit edit) {
        Path file = ownedFile(path);
        ObjectNode node;
        try {
            node = PoolJson.readObject(Files.readAllBytes(file));
        } catch (PoolFormatException e) {
            throw new IllegalArgumentException("the file does not parse: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        edit.proxy().ifPresent(p -> putOrRemove(node, "proxy", p.isBlank() ? Optional.empty() : Optional.of(p.strip())));
        edit.maxConcurrent().ifPresent(n -> {
            if (n == 0) {
                node.remove("max_concurrent");
            } else {
                node.put("max_concurrent", n);
            }
        });
        edit.models().ifPresent(m -> globs(node, "models", m));
        edit.excludeModels().ifPresent(m -> globs(node, "exclude_models", m));
        edit.priority().ifPresent(n -> {
            if (n == 0) {
                node.remove("priority");
            } else {
                node.put("priority", n);
            }
        });
        try {
            PoolFileCodec.controls(node);
        } catch (PoolFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        writeFile(file, node);
    }

    private static void globs(ObjectNode node, String field, java.util.List<String> globs) {
        if (globs.isEmpty()) {
            node.remove(field);
        } else {
            var array = node.putArray(field);
            globs.forEach(array::add);
        }
    }

    private static void putOrRemove(ObjectNode node, String field, Optional<String> value) {
        PoolJson.putOrRemove(node, field, value);
    }

    /**
     * Creates a new file and never replaces one: when {@code <name>.json} is taken (by another credential whose
     * file is named alike, by an email that sanitises the same, by a file that does not parse), the credential goes
     * to {@code <name>-2.json}, {@code <name>-3.json}, ... Callers update an already pooled credential through
     * {@link #update}.
     */
    @Override
    public String add(Credential credential) {
        Path folder = folderFor(credential);
        String stem = FileNames.sanitize(switch (credential) {
            case ChatGptAccount a -> a.email();
            case ClaudeAccount a -> a.email();
            case ApiKey k -> k.keyId();
        });
        byte[] bytes = PoolJson.format(PoolFileCodec.write(credential, PoolJson.MAPPER.createObjectNode()));
        try {
            AtomicFiles.ensureDirectory(folder);
            for (int n = 1; n <= MAX_NAME_SUFFIX; n++) {
                Path file = folder.resolve(n == 1 ? stem + ".json" : stem + "-" + n + ".json");
                if (AtomicFiles.createNew(file, bytes)) {
                    return file.toString();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a file for " + credential.id() + " in " + folder, e);
        }
        throw new IllegalStateException("too many files named like " + stem + ".json in " + folder);
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

    @Override
    public Optional<String> moveToDeleted(String path) {
        Path file = ownedFile(path);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path trash = deletedDir();
        try {
            AtomicFiles.ensureDirectory(trash);
            String stamp = DELETED_STAMP.format(clock.instant());
            String base = file.getParent().getFileName() + "." + stem(file) + "." + stamp;
            for (int n = 0; ; n++) {
                Path target = trash.resolve(base + (n == 0 ? "" : "-" + n) + ".json");
                try {
                    moveWithoutReplacing(file, target);
                    return Optional.of(target.getFileName().toString());
                } catch (FileAlreadyExistsException e) {
                    if (n > 100) {
                        throw e;
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty(); // someone else removed it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + file + " to " + trash, e);
        }
    }

    @Override
    public List<DeletedFile> deleted() {
        Path trash = deletedDir();
        if (!Files.isDirectory(trash)) {
            return List.of();
        }
        List<DeletedFile> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(trash, "*.json")) {
            for (Path file : files) {
                deletedFile(file).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + trash, e);
        }
        out.sort(java.util.Comparator.comparing(DeletedFile::deletedAt).reversed()
                .thenComparing(DeletedFile::name));
        return out;
    }

    @Override
    public String restore(String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
            throw new java.util.NoSuchElementException("no deleted file " + name);
        }
        Path trash = deletedDir();
        Path file = trash.resolve(name).normalize();
        DeletedFile deleted = file.getParent().equals(trash) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                ? deletedFile(file).orElse(null) : null;
        if (deleted == null) {
            throw new java.util.NoSuchElementException("no deleted file " + name);
        }
        Path target = poolDir.resolve(deleted.folder()).resolve(deleted.fileName());
        try {
            AtomicFiles.ensureDirectory(target.getParent());
            moveWithoutReplacing(file, target);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(deleted.folder() + "/" + deleted.fileName()
                    + " exists again; move or delete it first to restore this one");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + file + " to " + target, e);
        }
        return target.toString();
    }

    /**
     * Moves a file, keeping its bytes, and fails if the target exists. A hard link fails atomically when the target
     * exists (a rename would silently replace it); where links are not supported, a checked move is the fallback.
     * The moved file is left 0600 whatever its mode was: a key file written by hand (0644, say) holds its secret
     * in {@code .deleted} and again once restored.
     */
    private static void moveWithoutReplacing(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            Files.move(source, target); // without REPLACE_EXISTING: fails when the target exists
            ownerOnly(target);
            return;
        }
        Files.delete(source);
        ownerOnly(target);
    }

    private static void ownerOnly(Path file) {
        try {
            if (AtomicFiles.posix(file)
                    && !Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(AtomicFiles.FILE_MODE)) {
                Files.setPosixFilePermissions(file, AtomicFiles.FILE_MODE);
            }
        } catch (IOException e) {
            // Moved already; a file we may not chmod (another user's) keeps its mode, and its folder is 0700.
            LOG.warn("cannot make {} owner-only: {}", file, e.toString());
        }
    }

    /** {@code <pool_dir>/.deleted}: a dot folder beside the three pool folders, so neither scans nor watches see it. */
    private Path deletedDir() {
        return poolDir.resolve(DELETED_DIR);
    }

    /** Parses {@code <folder>.<stem>.<stamp>[-n].json}; anything else in the folder is left alone. */
    private Optional<DeletedFile> deletedFile(Path file) {
        java.util.regex.Matcher m = DELETED_NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        PoolFolder folder = PoolFolder.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
        java.time.Instant at;
        try {
            at = java.time.Instant.from(DELETED_STAMP.parse(m.group(3)));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
        String fileName = m.group(2) + ".json";
        PoolFile content = read(folder, file, m.group(2)).orElse(null);
        if (content == null) {
            return Optional.empty();
        }
        return Optional.of(new DeletedFile(file.getFileName().toString(), folder.dirName(), fileName, at, content));
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
