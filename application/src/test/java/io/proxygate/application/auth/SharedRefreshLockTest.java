package io.proxygate.application.auth;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.port.out.OAuthPort;
import io.proxygate.application.port.out.RefreshLockPort;
import io.proxygate.testsupport.FakeCredentials;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import io.proxygate.testsupport.MutableClock;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Token refresh with a lock shared by several instances: another instance's refresh that lands in the shared pool
 * file while we wait for the lock is used, not repeated with the refresh token it already spent.
 */
class SharedRefreshLockTest {
    private static final ChatGptAccount ACCOUNT = FakeCredentials.chatgpt("a@example.com", PlanType.PRO);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final InMemoryPoolDirectory sharedDirectory = new InMemoryPoolDirectory();
    private final CredentialPool pool = new CredentialPool(sharedDirectory);
    private final CountingOAuth oauth = new CountingOAuth();
    private final List<String> events = new ArrayList<>();

    SharedRefreshLockTest() {
        sharedDirectory.add(ACCOUNT);
        pool.reload();
    }

    @Test
    void aRefreshThatAnotherInstanceFinishedWhileWeWaitedIsUsedAsItIs() throws Exception {
        FakeSharedLock lock = new FakeSharedLock(true, () -> otherInstanceWritesNewTokens("fake-access-token-other"));
        TokenRefreshService service = service(lock);

        Credential renewed = service.refreshAfterUnauthorized(ACCOUNT);

        assertThat(oauth.calls).hasValue(0);
        assertThat(accessToken(renewed)).isEqualTo("fake-access-token-other");
        assertThat(events).containsExactly("acquire", "release");
    }

    @Test
    void withTheTokenStillStaleUnderTheLockWeRefreshAndWriteBeforeReleasing() throws Exception {
        FakeSharedLock lock = new FakeSharedLock(true, () -> { });
        TokenRefreshService service = service(lock);

        Credential renewed = service.refreshAfterUnauthorized(ACCOUNT);

        assertThat(oauth.calls).hasValue(1);
        assertThat(accessToken(renewed)).isEqualTo("fake-access-token-refreshed-1");
        assertThat(events).containsExactly("acquire", "oauth refresh", "release");
        assertThat(accessToken(sharedDirectory.scan().get(0).credential().orElseThrow()))
                .isEqualTo("fake-access-token-refreshed-1");
    }

    @Test
    void aLockHeldElsewhereForTooLongFailsTransientlyWithoutSpendingTheToken() {
        FakeSharedLock lock = new FakeSharedLock(false, () -> { });
        TokenRefreshService service = service(lock);

        assertThatThrownBy(() -> service.refreshAfterUnauthorized(ACCOUNT))
                .isInstanceOfSatisfying(CredentialUnavailable.class, e -> assertThat(e.permanent()).isFalse());
        assertThat(oauth.calls).hasValue(0);
    }

    @Test
    void aLockHeldElsewhereForTooLongStillYieldsTheTokensItsHolderWrote() throws Exception {
        FakeSharedLock lock = new FakeSharedLock(false, () -> otherInstanceWritesNewTokens("fake-access-token-late"));
        TokenRefreshService service = service(lock);

        assertThat(accessToken(service.refreshAfterUnauthorized(ACCOUNT))).isEqualTo("fake-access-token-late");
        assertThat(oauth.calls).hasValue(0);
    }

    @Test
    void anUnreachableLockServiceFailsTransientlyRatherThanRefreshingUnlocked() {
        RefreshLockPort broken = new RefreshLockPort() {
            @Override
            public Optional<Held> acquire(CredentialId id, Duration wait) {
                throw new IllegalStateException("connection refused");
            }

            @Override
            public boolean sharedWithOtherInstances() {
                return true;
            }
        };

        assertThatThrownBy(() -> service(broken).refreshAfterUnauthorized(ACCOUNT))
                .isInstanceOfSatisfying(CredentialUnavailable.class, e -> assertThat(e.permanent()).isFalse());
        assertThat(oauth.calls).hasValue(0);
    }

    @Test
    void theInProcessLockRefreshesAsBefore() throws Exception {
        Credential renewed = service(RefreshLockPort.IN_PROCESS).refreshAfterUnauthorized(ACCOUNT);

        assertThat(oauth.calls).hasValue(1);
        assertThat(accessToken(renewed)).isEqualTo("fake-access-token-refreshed-1");
    }

    @Test
    void aCallerThatGivesUpMidRefreshLeavesTheRefreshToFinishAndSaveTheRotatedTokens() throws Exception {
        java.util.concurrent.CountDownLatch calling = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        oauth.before = () -> {
            calling.countDown();
            try {
                answer.await(); // the provider has rotated the token and is answering
            } catch (InterruptedException e) {
                throw new IllegalStateException("the refresh itself was interrupted", e);
            }
        };
        TokenRefreshService service = service(RefreshLockPort.IN_PROCESS);
        java.util.concurrent.atomic.AtomicReference<Throwable> gaveUp = new java.util.concurrent.atomic.AtomicReference<>();
        Thread client = Thread.ofVirtual().start(() -> {
            try {
                service.refreshAfterUnauthorized(ACCOUNT);
            } catch (Throwable e) {
                gaveUp.set(e);
            }
        });
        calling.await();
        client.interrupt(); // the client went away
        client.join();
        assertThat(gaveUp.get()).isInstanceOf(CredentialUnavailable.class);

        answer.countDown();
        service.awaitRefreshes(Duration.ofSeconds(10)); // as a stopping server does
        assertThat(accessToken(sharedDirectory.scan().get(0).credential().orElseThrow()))
                .as("saved before the wait ends").isEqualTo("fake-access-token-refreshed-1");
        // The next caller joins the refresh still running, or finds its tokens saved: either way the old refresh
        // token is spent once, and the rotated one is in the pool file.
        assertThat(accessToken(service.refreshAfterUnauthorized(ACCOUNT))).isEqualTo("fake-access-token-refreshed-1");
        assertThat(accessToken(sharedDirectory.scan().get(0).credential().orElseThrow()))
                .isEqualTo("fake-access-token-refreshed-1");
        assertThat(oauth.calls).hasValue(1);
    }

    private TokenRefreshService service(RefreshLockPort lock) {
        return new TokenRefreshService(pool, oauth, Duration.ofMinutes(5), Duration.ofSeconds(30), lock, clock);
    }

    /** Another instance's refresh: it writes to the shared pool directory; our in-memory pool has not reloaded. */
    private void otherInstanceWritesNewTokens(String access) {
        PoolEntry entry = pool.snapshot().entry(ACCOUNT.id()).orElseThrow();
        sharedDirectory.update(entry.path(), new ChatGptAccount(ACCOUNT.email(), ACCOUNT.accountId(), ACCOUNT.plan(),
                ACCOUNT.tokens().refreshedWith(Secret.of(access), Optional.of(Secret.of("fake-refresh-token-2")),
                        Optional.empty(), Optional.empty()), ACCOUNT.createdAt(), false));
    }

    private static String accessToken(Credential credential) {
        return ((ChatGptAccount) credential).tokens().accessToken().reveal();
    }

    /** Grants (or not) the lock, after running what the previous holder did while we waited. */
    private final class FakeSharedLock implements RefreshLockPort {
        private final boolean grant;
        private final Runnable previousHolder;

        FakeSharedLock(boolean grant, Runnable previousHolder) {
            this.grant = grant;
            this.previousHolder = previousHolder;
        }

        @Override
        public Optional<Held> acquire(CredentialId id, Duration wait) {
            previousHolder.run();
            if (!grant) {
                return Optional.empty();
            }
            events.add("acquire");
            return Optional.of(() -> events.add("release"));
        }

        @Override
        public boolean sharedWithOtherInstances() {
            return true;
        }
    }

    private final class CountingOAuth implements OAuthPort {
        final AtomicInteger calls = new AtomicInteger();
        volatile Runnable before = () -> { };

        @Override
        public TokenGrant refresh(OAuthProvider provider, Optional<CredentialId> account, Secret refreshToken) {
            if (provider != OAuthProvider.CHATGPT) {
                throw new UnsupportedOperationException();
            }
            before.run();
            int n = calls.incrementAndGet();
            events.add("oauth refresh");
            return new TokenGrant(Secret.of("fake-access-token-refreshed-" + n),
                    Optional.of(Secret.of("fake-refresh-token-rotated-" + n)), Optional.empty(),
                    Optional.of(Duration.ofHours(1)), TokenClaims.NONE);
        }

        @Override
        public TokenGrant exchangeChatGptCode(String code, String verifier, String redirectUri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TokenGrant exchangeClaudeCode(String code, String verifier, String redirectUri, String state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ClaudeProfile fetchClaudeProfile(Secret accessToken) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeviceCode requestChatGptDeviceCode() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<DeviceAuthorization> pollChatGptDeviceCode(DeviceCode code) {
            throw new UnsupportedOperationException();
        }
    }
}
