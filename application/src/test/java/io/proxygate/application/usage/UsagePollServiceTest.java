package io.proxygate.application.usage;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.UsagePollException;
import io.proxygate.application.port.out.UsagePollPort;
import io.proxygate.application.routing.AttemptFailure;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import io.proxygate.application.testing.RecordingRouter;
import io.proxygate.application.testing.RenewingTokenKeeper;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.testsupport.FakeCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.proxygate.testsupport.FakeCredentials.claude;
import static org.assertj.core.api.Assertions.assertThat;

class UsagePollServiceTest {
    /** The poller's ChatGPT accounts, on a Plus plan. */
    private static ChatGptAccount chatgpt(String email, String access) {
        return FakeCredentials.chatgpt(email, PlanType.PLUS, access);
    }

    private static final Instant T0 = Instant.parse("2026-07-24T10:00:00Z");

    private static UsageWindows windows(double used) {
        return new UsageWindows(Optional.of(new UsageWindow(used, Optional.empty(), UsageWindow.FIVE_HOURS)),
                Optional.empty(), false, T0);
    }

    /** A port answering per access token. */
    static final class FakePort implements UsagePollPort {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        volatile Function<String, UsageWindows> answer = token -> windows(0.5);

        @Override
        public boolean supports(Credential credential) {
            return !(credential instanceof ApiKey);
        }

        @Override
        public UsageWindows fetch(Credential account) throws UsagePollException {
            String token = FakeCredentials.accessToken(account);
            calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            if (token.endsWith("-expired")) {
                throw new UsagePollException("HTTP 401", 401);
            }
            if (token.endsWith("-broken")) {
                throw new UsagePollException("HTTP 500", 500);
            }
            return answer.apply(token);
        }
    }

    private final InMemoryPoolDirectory directory = new InMemoryPoolDirectory();
    private final CredentialPool pool = new CredentialPool(directory);
    private final RecordingRouter router = new RecordingRouter();
    private final RenewingTokenKeeper tokens = new RenewingTokenKeeper();
    private final FakePort port = new FakePort();
    private UsagePollService service;

    private UsagePollService service(UsagePollService.Settings settings) {
        pool.reload();
        service = new UsagePollService(pool, router, tokens, port, InstantSource.fixed(T0), settings);
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void pollsEnabledAccountsAndHandsWindowsToTheRouter() {
        directory.add(chatgpt("a@example.test", "fake-access-a"));
        directory.add(claude("b@example.test", "fake-access-b"));
        service(UsagePollService.Settings.DEFAULT).pollNow();

        assertThat(router.windows).containsOnlyKeys(CredentialId.chatgpt("a@example.test"),
                CredentialId.claude("b@example.test"));
        assertThat(router.windows.get(CredentialId.chatgpt("a@example.test")).fiveHour())
                .hasValueSatisfying(w -> assertThat(w.usedFraction()).isEqualTo(0.5));
        assertThat(service.pollStatus()).allSatisfy(s -> {
            assertThat(s.lastPollAt()).contains(T0);
            assertThat(s.lastSuccessAt()).contains(T0);
            assertThat(s.failures()).isZero();
        });
    }

    @Test
    void skipsDisabledAccountsAccountsNeedingLoginAndApiKeys() {
        directory.add(chatgpt("off@example.test", "fake-access-off").withDisabled(true));
        directory.add(chatgpt("dead@example.test", "fake-access-dead"));
        directory.add(FakeCredentials.key("k1", ApiKeyType.OPENAI));
        directory.add(chatgpt("ok@example.test", "fake-access-ok"));
        router.needsLogin.add(CredentialId.chatgpt("dead@example.test"));

        service(UsagePollService.Settings.DEFAULT).pollNow();

        assertThat(port.calls).containsOnlyKeys("fake-access-ok");
        assertThat(router.windows).containsOnlyKeys(CredentialId.chatgpt("ok@example.test"));
    }

    @Test
    void unauthorizedPollRefreshesTheTokenAndRetriesOnce() {
        directory.add(chatgpt("a@example.test", "fake-access-a-expired"));
        service(UsagePollService.Settings.DEFAULT).pollNow();

        assertThat(tokens.refreshes).hasValue(1);
        assertThat(port.calls.get("fake-access-a-expired")).hasValue(1);
        assertThat(port.calls.get("fake-access-a-renewed")).hasValue(1);
        assertThat(router.windows).containsKey(CredentialId.chatgpt("a@example.test"));
        assertThat(service.pollStatus()).singleElement().satisfies(s -> assertThat(s.failures()).isZero());
    }

    @Test
    void secondUnauthorizedAfterRefreshIsAFailureWithoutAnotherRefresh() {
        directory.add(chatgpt("a@example.test", "fake-access-a-expired"));
        tokens.renewedToken = FakeCredentials::accessToken; // the "new" token is rejected too
        service(UsagePollService.Settings.DEFAULT).pollNow();

        assertThat(tokens.refreshes).hasValue(1);
        assertThat(port.calls.get("fake-access-a-expired")).hasValue(2);
        assertThat(router.windows).isEmpty();
        assertThat(service.pollStatus()).singleElement().satisfies(s -> {
            assertThat(s.failures()).isEqualTo(1);
            assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("401", "after token refresh"));
        });
    }

    @Test
    void permanentRefreshFailureMarksTheAccountAsNeedingLogin() {
        directory.add(claude("b@example.test", "fake-access-b-expired"));
        tokens.failure = new CredentialUnavailable("invalid_grant", true);
        service(UsagePollService.Settings.DEFAULT).pollNow();

        assertThat(router.failures).containsExactly(
                Map.entry(CredentialId.claude("b@example.test"), new AttemptFailure.NeedsLogin("invalid_grant")));
        assertThat(service.pollStatus()).singleElement()
                .satisfies(s -> assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("invalid_grant")));
    }

    @Test
    void failuresAreCountedPerAccountAndASuccessResetsTheStreak() {
        directory.add(chatgpt("a@example.test", "fake-access-a"));
        directory.add(chatgpt("b@example.test", "fake-access-b-broken"));
        UsagePollService polls = service(UsagePollService.Settings.DEFAULT);
        port.answer = token -> {
            throw new IllegalStateException("surprise");
        };
        polls.pollNow();
        polls.pollNow();
        port.answer = token -> windows(0.1);
        polls.pollNow();

        Map<CredentialId, PollStatus> byId = new java.util.HashMap<>();
        polls.pollStatus().forEach(s -> byId.put(s.id(), s));
        PollStatus a = byId.get(CredentialId.chatgpt("a@example.test"));
        assertThat(a.failures()).isEqualTo(2);
        assertThat(a.consecutiveFailures()).isZero();
        assertThat(a.lastError()).isEmpty();
        PollStatus b = byId.get(CredentialId.chatgpt("b@example.test"));
        assertThat(b.failures()).isEqualTo(3);
        assertThat(b.consecutiveFailures()).isEqualTo(3);
        assertThat(b.lastError()).contains("HTTP 500");
        assertThat(b.lastSuccessAt()).isEmpty();
    }

    @Test
    void removedAccountsDropOutOfThePollStatus() {
        directory.add(chatgpt("a@example.test", "fake-access-a"));
        UsagePollService polls = service(UsagePollService.Settings.DEFAULT);
        polls.pollNow();
        directory.files.clear();
        pool.reload();
        polls.pollNow();
        assertThat(polls.pollStatus()).isEmpty();
    }

    @Test
    void pollsAtMostConcurrencyAccountsAtOnce() throws InterruptedException {
        for (int i = 0; i < 6; i++) {
            directory.add(chatgpt("u" + i + "@example.test", "fake-access-" + i));
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch twoRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        port.answer = token -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            twoRunning.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return windows(0.2);
        };
        UsagePollService polls = service(new UsagePollService.Settings(Duration.ofMinutes(5), 2, Duration.ZERO));
        Thread round = Thread.ofPlatform().start(polls::pollNow);
        assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        round.join(10_000);
        assertThat(round.isAlive()).isFalse();
        assertThat(peak).hasValue(2);
        assertThat(router.windows).hasSize(6);
    }

    @Test
    void startRunsTheFirstRoundRightAway() throws InterruptedException {
        directory.add(chatgpt("a@example.test", "fake-access-a"));
        CountDownLatch polled = new CountDownLatch(1);
        router.onWindowsHook = polled::countDown;
        service(UsagePollService.Settings.DEFAULT).start();
        assertThat(polled.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void settingsRejectNonsense() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new UsagePollService.Settings(Duration.ZERO, 1, Duration.ZERO));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new UsagePollService.Settings(Duration.ofMinutes(1), 0, Duration.ZERO));
        assertThat(UsagePollService.Settings.every(Duration.ofMinutes(1)).jitter()).isEqualTo(Duration.ofSeconds(6));
        assertThat(UsagePollService.Settings.every(Duration.ofHours(1)).jitter()).isEqualTo(Duration.ofSeconds(30));
    }
}
