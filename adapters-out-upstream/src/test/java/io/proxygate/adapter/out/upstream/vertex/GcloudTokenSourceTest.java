package io.proxygate.adapter.out.upstream.vertex;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gcloud token source against a fake {@code gcloud} script that counts its runs. */
@DisabledOnOs(OS.WINDOWS)
class GcloudTokenSourceTest {
    @TempDir
    Path dir;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private Path runs;

    @BeforeEach
    void runsFile() {
        runs = dir.resolve("runs");
    }

    private Path gcloud(String body) throws IOException {
        Path script = dir.resolve("gcloud");
        Files.writeString(script, "#!/bin/sh\necho run >> '" + runs + "'\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private long runCount() throws IOException {
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    @Test
    void printsTheTokenAndReusesItUntilTheTtlEnds() throws Exception {
        GcloudTokenSource source = new GcloudTokenSource(gcloud(
                "[ \"$1 $2 $3\" = \"auth print-access-token --quiet\" ] || exit 9\necho '  fake-gcloud-token  '"),
                clock);

        assertThat(source.method()).isEqualTo("gcloud");
        assertThat(source.accessToken()).isEqualTo("fake-gcloud-token");
        now.set(now.get().plus(Duration.ofMinutes(49)));
        assertThat(source.accessToken()).isEqualTo("fake-gcloud-token");
        assertThat(runCount()).isEqualTo(1);

        now.set(now.get().plus(Duration.ofMinutes(2)));
        source.accessToken();
        assertThat(runCount()).isEqualTo(2);
    }

    @Test
    void aFailingGcloudIsAnErrorAndIsTriedAgainNextTime() throws Exception {
        GcloudTokenSource source = new GcloudTokenSource(gcloud("echo 'ERROR: not logged in' >&2\nexit 1"), clock);

        assertThatThrownBy(source::accessToken).isInstanceOf(IOException.class).hasMessageContaining("exited with 1");
        assertThatThrownBy(source::accessToken).isInstanceOf(IOException.class);
        assertThat(runCount()).isEqualTo(2);
    }

    @Test
    void anEmptyTokenIsAnError() throws Exception {
        GcloudTokenSource source = new GcloudTokenSource(gcloud("echo ''"), clock);

        assertThatThrownBy(source::accessToken).isInstanceOf(IOException.class).hasMessageContaining("empty");
    }

    @Test
    void aHungGcloudIsKilledAfterTheTimeout() throws Exception {
        GcloudTokenSource source = new GcloudTokenSource(gcloud("exec sleep 30"), Duration.ofMillis(300),
                Duration.ofMinutes(50), clock);
        long started = System.nanoTime();

        assertThatThrownBy(source::accessToken).isInstanceOf(IOException.class).hasMessageContaining("did not finish");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void discoveryFallsBackToGcloudWhenThereIsNoFileAndNoDefaultCredentials() throws Exception {
        Path script = gcloud("echo fake-gcloud-token");

        GoogleCredentialDiscovery.Result result = GoogleCredentialDiscovery.discover(Optional.empty(),
                GoogleCredentialDiscovery.DefaultCredentials.NONE, Optional.of(script), clock);

        assertThat(result.source()).get().isInstanceOf(GcloudTokenSource.class);
        assertThat(result.source().orElseThrow().accessToken()).isEqualTo("fake-gcloud-token");
    }
}
