package io.proxygate.adapter.out.upstream.usage;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.testing.InMemoryPoolDirectory;
import io.proxygate.application.testing.RecordingRouter;
import io.proxygate.application.testing.RenewingTokenKeeper;
import io.proxygate.application.usage.PollStatus;
import io.proxygate.application.usage.UsagePollService;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.testsupport.FakeCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

import static io.proxygate.adapter.out.upstream.usage.HttpUsagePollClientTest.CLAUDE;
import static io.proxygate.adapter.out.upstream.usage.HttpUsagePollClientTest.NOW;
import static io.proxygate.adapter.out.upstream.usage.HttpUsagePollClientTest.WHAM_STANDARD;
import static io.proxygate.adapter.out.upstream.usage.HttpUsagePollClientTest.WHAM_WEEKLY_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The usage poll service driving the HTTP client against mock ChatGPT and Anthropic usage endpoints. */
class UsagePollingOverHttpTest {
    private MockUsageServer server;
    private HttpUsagePollClient client;
    private final InMemoryPoolDirectory directory = new InMemoryPoolDirectory();
    private final CredentialPool pool = new CredentialPool(directory);
    private final RecordingRouter router = new RecordingRouter();
    private final RenewingTokenKeeper tokens = new RenewingTokenKeeper();
    private UsagePollService service;

    @BeforeEach
    void start() throws IOException {
        tokens.renewedToken = account -> "fake-renewed-" + account.label();
        server = new MockUsageServer();
        client = new HttpUsagePollClient(server.endpoints(), InstantSource.fixed(NOW));
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        client.close();
        server.close();
    }

    private UsagePollService service() {
        pool.reload();
        service = new UsagePollService(pool, router, tokens, client, InstantSource.fixed(NOW),
                UsagePollService.Settings.DEFAULT);
        return service;
    }

    @Test
    void firstRoundAtStartDeliversBothShapesToTheRouter() {
        directory.add(new ChatGptAccount("plus@example.test", "acct-1", null,
                FakeCredentials.tokens("fake-plus"), Optional.empty(), false));
        directory.add(new ChatGptAccount("free@example.test", "acct-2", null,
                FakeCredentials.tokens("fake-free"), Optional.empty(), false));
        directory.add(HttpUsagePollClientTest.claude("fake-claude"));
        server.byToken.put("fake-plus", new MockUsageServer.Answer(200, WHAM_STANDARD));
        server.byToken.put("fake-free", new MockUsageServer.Answer(200, WHAM_WEEKLY_ONLY));
        server.byToken.put("fake-claude", new MockUsageServer.Answer(200, CLAUDE));

        service().start();

        await().atMost(Duration.ofSeconds(10)).until(() -> router.windows.size() == 3);
        assertThat(router.windows.get(CredentialId.chatgpt("plus@example.test")).fiveHour())
                .hasValueSatisfying(w -> assertThat(w.usedFraction()).isEqualTo(0.425));
        UsageWindows free = router.windows.get(CredentialId.chatgpt("free@example.test"));
        assertThat(free.fiveHour()).isEmpty();
        assertThat(free.weekly()).hasValueSatisfying(w -> assertThat(w.usedFraction()).isEqualTo(1.0));
        assertThat(free.limitReached()).isTrue();
        assertThat(router.windows.get(CredentialId.claude("c@example.test")).weekly())
                .hasValueSatisfying(w -> assertThat(w.usedFraction()).isEqualTo(0.12));
        assertThat(tokens.refreshes).hasValue(0);
    }

    @Test
    void unauthorizedPollRefreshesTheTokenAndRetriesOnce() {
        directory.add(HttpUsagePollClientTest.chatgpt("fake-expired"));
        server.byToken.put("fake-renewed-a@example.test", new MockUsageServer.Answer(200, WHAM_STANDARD));

        service().pollNow();

        assertThat(tokens.refreshes).hasValue(1);
        assertThat(server.seen).extracting(MockUsageServer.Seen::authorization)
                .containsExactly("Bearer fake-expired", "Bearer fake-renewed-a@example.test");
        assertThat(router.windows).containsKey(CredentialId.chatgpt("a@example.test"));
        assertThat(service.pollStatus()).singleElement().satisfies(s -> {
            assertThat(s.lastSuccessAt()).contains(NOW);
            assertThat(s.failures()).isZero();
        });
    }

    @Test
    void stillUnauthorizedAfterRefreshIsCountedAndNotRetriedAgain() {
        directory.add(HttpUsagePollClientTest.claude("fake-expired"));

        UsagePollService polls = service();
        polls.pollNow();
        polls.pollNow();

        assertThat(tokens.refreshes).hasValue(2);
        assertThat(server.seen).hasSize(4);
        assertThat(router.windows).isEmpty();
        PollStatus status = polls.pollStatus().getFirst();
        assertThat(status.failures()).isEqualTo(2);
        assertThat(status.consecutiveFailures()).isEqualTo(2);
        assertThat(status.lastPollAt()).contains(NOW);
        assertThat(status.lastError()).contains("HTTP 401: Your authentication token has expired. (after token refresh)");
    }
}
