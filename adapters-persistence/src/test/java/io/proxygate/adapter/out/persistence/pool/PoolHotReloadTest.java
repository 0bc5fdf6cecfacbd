package io.proxygate.adapter.out.persistence.pool;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Hot reload end to end: real files, the real JDK watch service, a real {@link CredentialPool}. */
class PoolHotReloadTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final AtomicInteger callbacks = new AtomicInteger();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private CredentialPool pool;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** Starts watching with the production defaults: the 30 s rescan cannot mask a missed event in these tests. */
    private void startWatching() {
        startWatching(new PoolDirectoryStore(dir, InstantSource.system()));
    }

    private void startWatching(PoolDirectoryStore store) {
        pool = new CredentialPool(store);
        pool.reload();
        closeables.add(store.watch(() -> {
            callbacks.incrementAndGet();
            pool.reload();
        }));
    }

    @Test
    void addsACredentialWhenItsFileAppears() throws IOException {
        startWatching();

        writeKey("new", "sk-test-new");

        await().atMost(DEADLINE).until(() -> key("new") != null);
    }

    @Test
    void appliesAnEditToAnExistingFile() throws IOException {
        writeKey("edited", "sk-test-before");
        startWatching();
        assertThat(key("edited").key().reveal()).isEqualTo("sk-test-before");

        writeKey("edited", "sk-test-after");

        await().atMost(DEADLINE).until(() -> key("edited").key().reveal().equals("sk-test-after"));
    }

    @Test
    void removesACredentialWhenItsFileIsDeleted() throws IOException {
        writeKey("gone", "sk-test-gone");
        startWatching();
        assertThat(key("gone")).isNotNull();

        Files.delete(dir.resolve("apikeys/gone.json"));

        await().atMost(DEADLINE).until(() -> pool.snapshot().entries().isEmpty());
    }

    @Test
    void followsRenamesInsideAndOutOfTheFolder() throws IOException {
        writeKey("before", "sk-test-rename");
        startWatching();

        Files.move(dir.resolve("apikeys/before.json"), dir.resolve("apikeys/after.json"));
        await().atMost(DEADLINE).until(() -> key("after") != null && key("before") == null);

        Files.move(dir.resolve("apikeys/after.json"), dir.resolve("apikeys/after.json.bak"));
        await().atMost(DEADLINE).until(() -> pool.snapshot().entries().isEmpty());
    }

    @Test
    void picksUpAnEditorStyleSaveThroughATempFileAndRename() throws IOException {
        writeKey("edited", "sk-test-old");
        startWatching();

        Path temp = dir.resolve("apikeys/.edited.json.swp");
        Files.writeString(temp, "{\"api_key\": \"sk-test-saved-by-editor\"}");
        Files.move(temp, dir.resolve("apikeys/edited.json"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

        await().atMost(DEADLINE).until(() -> key("edited").key().reveal().equals("sk-test-saved-by-editor"));
    }

    @Test
    void coalescesABurstOf200FilesIntoAFewReloads() throws IOException {
        startWatching();
        int before = callbacks.get();

        for (int i = 0; i < 200; i++) {
            writeKey("burst-" + i, "sk-test-burst-" + i);
        }

        await().atMost(DEADLINE).until(() -> pool.snapshot().entries().size() == 200);
        assertThat(callbacks.get() - before).as("reloads for 200 files").isBetween(1, 10);
    }

    @Test
    void reportsAMalformedFileWithoutLosingTheOthersAndLoadsItOnceFixed() throws IOException {
        writeKey("good", "sk-test-good");
        startWatching();

        Files.writeString(dir.resolve("apikeys/broken.json"), "{\"api_key\": ");

        await().atMost(DEADLINE).until(() -> pool.snapshot().problems().stream()
                .anyMatch(p -> p.path().endsWith("broken.json")));
        assertThat(key("good")).isNotNull();

        writeKey("broken", "sk-test-fixed");
        await().atMost(DEADLINE).until(() -> key("broken") != null && pool.snapshot().problems().isEmpty());
    }

    @Test
    void settlesOnTheFinalContentWhenAFileIsRewrittenWhileBeingRead() throws Exception {
        writeKey("churn", "sk-test-churn-start");
        startWatching();
        AtomicBoolean stop = new AtomicBoolean();
        // Rewrites in place (truncate, then two chunks) so scans keep seeing half-written files.
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 300 && !stop.get(); i++) {
                byte[] json = ("{\"api_key\": \"sk-test-churn-" + i + "\"}").getBytes(StandardCharsets.UTF_8);
                try (OutputStream out = Files.newOutputStream(dir.resolve("apikeys/churn.json"))) {
                    out.write(json, 0, 8);
                    out.flush();
                    pool.reload(); // a scan right between the two halves
                    out.write(json, 8, json.length - 8);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        writer.join(DEADLINE.toMillis());
        stop.set(true);

        writeKey("churn", "sk-test-churn-final");

        await().atMost(DEADLINE).until(() -> key("churn") != null
                && key("churn").key().reveal().equals("sk-test-churn-final")
                && pool.snapshot().problems().isEmpty());
    }

    @Test
    void survivesItsFolderBeingRemovedAndRecreated() throws IOException {
        writeKey("first", "sk-test-first");
        startWatching();

        Files.delete(dir.resolve("apikeys/first.json"));
        Files.delete(dir.resolve("apikeys"));
        await().atMost(DEADLINE).until(() -> pool.snapshot().entries().isEmpty());

        Files.createDirectories(dir.resolve("apikeys"));
        writeKey("second", "sk-test-second");
        await().atMost(DEADLINE).until(() -> key("second") != null);
    }

    @Test
    void fallsBackToPollingWhenNoWatchServiceIsAvailable() throws IOException {
        PoolWatcher.Settings settings = new PoolWatcher.Settings(Duration.ofMillis(50), Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofMillis(100));
        PoolDirectoryStore store = new PoolDirectoryStore(dir, InstantSource.system(), settings, () -> {
            throw new IOException("inotify limit reached (simulated)");
        });
        startWatching(store);
        await("calls back at once: nothing else will report earlier changes").atMost(DEADLINE)
                .until(() -> callbacks.get() >= 1);

        writeKey("polled", "sk-test-polled");
        await().atMost(DEADLINE).until(() -> key("polled") != null);

        writeKey("polled", "sk-test-polled-again-longer");
        await().atMost(DEADLINE).until(() -> key("polled").key().reveal().equals("sk-test-polled-again-longer"));
    }

    @Test
    void rescansPeriodicallyWithoutAnyFileEvent() {
        startWatching(new PoolDirectoryStore(dir, InstantSource.system(), Duration.ofMillis(100)));

        await().atMost(DEADLINE).until(() -> callbacks.get() >= 3);
    }

    @Test
    void stopsCallingBackOnceClosed() throws Exception {
        startWatching();
        writeKey("seen", "sk-test-seen");
        await().atMost(DEADLINE).until(() -> key("seen") != null);
        closeables.remove(0).close();
        int after = callbacks.get();

        writeKey("unseen", "sk-test-unseen");

        await().during(Duration.ofMillis(800)).atMost(DEADLINE).until(() -> callbacks.get() == after);
        assertThat(key("unseen")).isNull();
    }

    @Test
    void keepsWatchingWhenTheCallbackThrows() throws IOException {
        PoolDirectoryStore store = new PoolDirectoryStore(dir, InstantSource.system());
        pool = new CredentialPool(store);
        AtomicBoolean failNext = new AtomicBoolean(true);
        closeables.add(store.watch(() -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("simulated reload failure");
            }
            pool.reload();
        }));

        writeKey("one", "sk-test-one");
        await().atMost(DEADLINE).until(() -> !failNext.get());
        writeKey("two", "sk-test-two");

        await().atMost(DEADLINE).until(() -> key("two") != null && key("one") != null);
    }

    private void writeKey(String stem, String secret) throws IOException {
        Path file = dir.resolve("apikeys").resolve(stem + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"api_key\": \"" + secret + "\"}");
    }

    private ApiKey key(String id) {
        return pool.snapshot().entry(CredentialId.apiKey(id)).map(e -> (ApiKey) e.credential()).orElse(null);
    }
}
