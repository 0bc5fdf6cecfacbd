package io.proxygate.adapter.out.upstream.oauth;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the OAuth flow tests stand on: the mock provider over real HTTP, the real {@link HttpOAuthClient}, a
 * file-backed pool directory under a temp folder and a clock at {@link #T0}. After each test the mock provider must
 * have found nothing to object to.
 */
abstract class MockProviderTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path tmp;

    MockOAuthServer mock;
    HttpOAuthClient client;
    FilePoolDirectory directory;
    CredentialPool pool;
    MutableClock clock;

    @BeforeEach
    void startMockProvider() throws IOException {
        mock = MockOAuthServer.start();
        client = new HttpOAuthClient(mock.settings());
        directory = new FilePoolDirectory(tmp.resolve("pool"));
        pool = new CredentialPool(directory);
        clock = new MutableClock(T0);
    }

    @AfterEach
    void stopMockProvider() {
        client.close();
        mock.close();
        assertThat(mock.problems()).as("what the mock provider objected to").isEmpty();
    }
}
