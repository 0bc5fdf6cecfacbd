package io.proxygate.application.admin;

import io.proxygate.application.pool.PoolChange;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.application.testing.ListRequestLog;
import io.proxygate.domain.credential.CredentialId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LiveEventsTest {
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private final LiveEvents events = new LiveEvents(InstantSource.fixed(T0));

    @Test
    void aRequestIsRunningFromItsStartUntilItsLogRowAndRemembersItsCredential() {
        List<String> seen = new ArrayList<>();
        events.subscribe(e -> seen.add(e.getClass().getSimpleName()));
        List<RequestRecord> logged = new ArrayList<>();
        RequestLogPort log = events.recording(new ListRequestLog(logged));

        events.started("r1", T0, "/v1/responses", "gpt-5");
        events.attempting("r1", CredentialId.chatgpt("a@example.com"));
        assertThat(events.running()).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo("r1");
            assertThat(r.credential()).contains(CredentialId.chatgpt("a@example.com"));
        });

        log.append(record("r1"));

        assertThat(events.running()).isEmpty();
        assertThat(events.recentlyFinished()).extracting(RequestRecord::requestId).containsExactly("r1");
        assertThat(logged).hasSize(1);
        assertThat(seen).containsExactly("RequestStarted", "RequestAttempt", "RequestFinished");
    }

    @Test
    void onlyTheLastHundredFinishedRequestsAreKeptNewestFirst() {
        for (int i = 0; i < 150; i++) {
            events.finished(record("r" + i));
        }
        assertThat(events.recentlyFinished()).hasSize(LiveEvents.RECENT).first()
                .extracting(RequestRecord::requestId).isEqualTo("r149");
    }

    @Test
    void startsWithoutAnEndCannotGrowWithoutBound() {
        for (int i = 0; i < LiveEvents.MAX_RUNNING + 10; i++) {
            events.started("r" + i, T0.plusMillis(i), "/v1/messages", "claude");
        }
        assertThat(events.running()).hasSize(LiveEvents.MAX_RUNNING);
        assertThat(events.running().get(0).requestId()).isEqualTo("r10");
    }

    @Test
    void aFailingSubscriberNeitherFailsThePublisherNorStarvesOthers() {
        List<LiveEvent> delivered = new ArrayList<>();
        events.subscribe(e -> {
            throw new IllegalStateException("broken subscriber");
        });
        events.subscribe(delivered::add);

        events.poolChanged(new PoolChange(Set.of(CredentialId.apiKey("k")), Set.of(), Set.of(), Set.of()));

        assertThat(delivered).singleElement().isInstanceOf(LiveEvent.PoolChanged.class);
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() {
        List<LiveEvent> delivered = new ArrayList<>();
        LiveEvents.Subscription s = events.subscribe(delivered::add);
        s.close();
        events.started("r1", T0, "/v1/responses", "gpt-5");
        assertThat(delivered).isEmpty();
        assertThat(events.subscriberCount()).isZero();
    }

    static RequestRecord record(String id) {
        return new RequestRecord(id, T0, "/v1/responses", "chatgpt-pool", Optional.empty(), "gpt-5", Optional.empty(),
                200, null, Optional.empty(), Duration.ofMillis(5), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, "");
    }
}
