package io.proxygate.adapter.out.persistence.pool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells the pool when the credential folders changed. File-system events are debounced (a quiet period, capped by
 * a maximum delay so a never-ending stream of writes still reloads); any event the JDK could not deliver
 * (overflow, a folder removed, no watch service at all) also calls back, because the pool always does a full
 * rescan. Folders that cannot be watched are polled by a cheap listing fingerprint instead, and a periodic call
 * back catches anything else (network file systems that send no events).
 */
final class PoolWatcher implements AutoCloseable {
    /** Creates the JDK watch service; tests substitute one that fails. */
    @FunctionalInterface
    interface WatchServiceFactory {
        WatchService create() throws IOException;
    }

    /** Timing of the watcher. */
    record Settings(Duration quietPeriod, Duration maxDelay, Duration rescanInterval, Duration pollInterval) {
        static final Settings DEFAULT = new Settings(Duration.ofMillis(200), Duration.ofSeconds(2),
                Duration.ofSeconds(30), Duration.ofSeconds(1));

        Settings {
            Objects.requireNonNull(quietPeriod, "quietPeriod");
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(rescanInterval, "rescanInterval");
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (quietPeriod.isNegative() || maxDelay.compareTo(quietPeriod) < 0 || !rescanInterval.isPositive()
                    || !pollInterval.isPositive()) {
                throw new IllegalArgumentException("watch timings must be positive, maxDelay >= quietPeriod");
            }
        }

        Settings withRescanInterval(Duration rescan) {
            return new Settings(quietPeriod, maxDelay, rescan, pollInterval);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PoolWatcher.class);

    private final List<Path> folders;
    private final Runnable onChange;
    private final Settings settings;
    private final WatchService watchService;
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    PoolWatcher(List<Path> folders, Runnable onChange, Settings settings, WatchServiceFactory factory) {
        this.folders = List.copyOf(folders);
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.settings = settings;
        WatchService service;
        try {
            service = factory.create();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("file watching unavailable ({}); polling the pool directory every {} ms instead",
                    e.getClass().getSimpleName(), settings.pollInterval().toMillis());
            service = null;
        }
        this.watchService = service;
        registerMissing();
        this.thread = Thread.ofPlatform().name("pool-watcher").daemon(true).unstarted(this::run);
    }

    PoolWatcher start() {
        thread.start();
        return this;
    }

    private void run() {
        final long quiet = settings.quietPeriod().toNanos();
        final long maxDelay = settings.maxDelay().toNanos();
        final long rescan = settings.rescanInterval().toNanos();
        final long poll = settings.pollInterval().toNanos();
        long now = System.nanoTime();
        long nextRescan = now + rescan;
        long nextPoll = now + poll;
        long firstPending = -1;
        long quietUntil = 0;
        String lastFingerprint = needsPolling() ? fingerprint() : "";
        if (watchService == null) {
            fire(); // nobody can tell us about changes made before now: the pool should look once more
        }
        try {
            while (running) {
                long deadline = nextRescan;
                if (firstPending >= 0) {
                    deadline = Math.min(deadline, Math.min(quietUntil, firstPending + maxDelay));
                }
                if (needsPolling()) {
                    deadline = Math.min(deadline, nextPoll);
                }
                boolean changed = waitForEvents(Math.max(0, deadline - System.nanoTime()));
                now = System.nanoTime();
                if (needsPolling() && now - nextPoll >= 0) {
                    registerMissing();
                    String current = fingerprint();
                    changed |= !current.equals(lastFingerprint);
                    lastFingerprint = current;
                    nextPoll = now + poll;
                }
                if (changed) {
                    if (firstPending < 0) {
                        firstPending = now;
                    }
                    quietUntil = now + quiet;
                }
                if (firstPending >= 0 && (now - quietUntil >= 0 || now - firstPending >= maxDelay)) {
                    firstPending = -1;
                    fire();
                } else if (now - nextRescan >= 0) {
                    fire();
                }
                if (now - nextRescan >= 0) {
                    nextRescan = now + rescan;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // close() was called
        }
    }

    /** Waits up to {@code nanos} for events; true when one of them may have changed the pool. */
    private boolean waitForEvents(long nanos) throws InterruptedException {
        if (watchService == null) {
            stop.await(nanos, TimeUnit.NANOSECONDS);
            return false;
        }
        boolean relevant = false;
        WatchKey key = watchService.poll(nanos, TimeUnit.NANOSECONDS);
        while (key != null) {
            relevant |= handle(key);
            key = watchService.poll();
        }
        return relevant;
    }

    private boolean handle(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true; // events were lost: a full rescan is the only safe answer
            } else if (event.context() instanceof Path name && name.toString().endsWith(".json")) {
                relevant = true; // create, modify, delete, and both halves of a rename
            }
        }
        if (!key.reset()) {
            synchronized (keys) {
                Path folder = keys.remove(key);
                LOG.warn("pool folder {} is no longer watchable; polling it until it comes back", folder);
            }
            relevant = true;
        }
        return relevant;
    }

    private boolean needsPolling() {
        synchronized (keys) {
            return watchService == null || keys.size() < folders.size();
        }
    }

    private void registerMissing() {
        if (watchService == null) {
            return;
        }
        synchronized (keys) {
            for (Path folder : folders) {
                if (keys.containsValue(folder) || !Files.isDirectory(folder)) {
                    continue;
                }
                try {
                    keys.put(folder.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY), folder);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot watch pool folder {} ({}); polling it instead", folder,
                            e.getClass().getSimpleName());
                }
            }
        }
    }

    /** Names, sizes, modification times and inodes of the {@code *.json} files: changes when any of them does. */
    private String fingerprint() {
        StringBuilder out = new StringBuilder();
        for (Path folder : folders) {
            Map<String, String> entries = new TreeMap<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
                for (Path file : files) {
                    try {
                        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                        entries.put(file.getFileName().toString(), attrs.size() + "/"
                                + attrs.lastModifiedTime().toInstant() + "/" + attrs.fileKey());
                    } catch (IOException e) {
                        entries.put(file.getFileName().toString(), "gone");
                    }
                }
            } catch (IOException e) {
                entries.put("", "unreadable");
            }
            out.append(folder).append(entries).append('\n');
        }
        return out.toString();
    }

    private void fire() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            // The watcher must outlive a failed reload: the next change or rescan tries again.
            LOG.warn("pool reload after a file change failed", e);
        }
    }

    @Override
    public void close() {
        running = false;
        stop.countDown();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service failed", e);
            }
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** For tests and diagnostics: the folders currently watched by events rather than polling. */
    List<Path> watchedFolders() {
        synchronized (keys) {
            return new ArrayList<>(keys.values());
        }
    }
}
