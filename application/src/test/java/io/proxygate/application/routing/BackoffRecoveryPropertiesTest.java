package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.Backoff;
import io.proxygate.testsupport.FakeCredentials;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random 5xx storms driven by random numbers of concurrent clients against a simulated clock: once the upstream
 * has recovered, every credential must be routable again within the backoff cap (plus the probe's own answer),
 * however long the storm and however many clients hammered it.
 */
class BackoffRecoveryPropertiesTest {

    /** One request in flight: which credential, when it started, when the upstream answers it. */
    private record Flight(CredentialId id, Instant started, Instant answersAt, Lease lease) {
    }

    @Property(tries = 200, seed = "31031")
    void everyCredentialIsRoutableWithinTheCapAfterRecovery(
            @ForAll @IntRange(min = 1, max = 6) int credentials,
            @ForAll @IntRange(min = 1, max = 40) int clients,
            @ForAll @LongRange(min = 1, max = 1_800) long stormSeconds,
            @ForAll @LongRange(min = 1, max = 3_000) long latencyMillisMax,
            @ForAll long seed) {
        Random random = new Random(seed);
        Credential[] pool = new Credential[credentials];
        for (int i = 0; i < credentials; i++) {
            pool[i] = FakeCredentials.chatgpt("c" + i + "@example.com", PlanType.PLUS);
        }
        RouterFixture f = new RouterFixture(RoutingSettings.DEFAULTS.withCandidatesPerKind(8), pool);
        Instant stormEnds = f.clock.instant().plusSeconds(stormSeconds);
        PriorityQueue<Flight> flights = new PriorityQueue<>((a, b) -> a.answersAt().compareTo(b.answersAt()));
        // Each client keeps one request going: pick, attempt, fail while the storm lasts, pick again.
        int idle = clients;
        while (f.clock.instant().isBefore(stormEnds)) {
            while (idle > 0) {
                List<RoutingPlan.Candidate> offered = f.plan(Api.RESPONSES).candidates();
                if (offered.isEmpty()) {
                    break;
                }
                CredentialId id = offered.get(random.nextInt(offered.size())).credential().id();
                Instant now = f.clock.instant();
                flights.add(new Flight(id, now, now.plusMillis(1 + (long) (random.nextDouble() * latencyMillisMax)),
                        f.router.begin(id)));
                idle--;
            }
            Flight next = flights.peek();
            Instant wake = next != null ? next.answersAt()
                    : f.router.nearestCooldown(Api.RESPONSES).map(f.clock.instant()::plus)
                    .orElse(f.clock.instant().plusSeconds(1));
            f.clock.set(wake.isAfter(f.clock.instant()) ? wake : f.clock.instant().plusMillis(1));
            while (!flights.isEmpty() && !flights.peek().answersAt().isAfter(f.clock.instant())) {
                Flight done = flights.poll();
                if (done.answersAt().isBefore(stormEnds)) {
                    f.router.onFailure(done.id(), new AttemptFailure.ServerError(500), done.started());
                } else {
                    f.router.onAnswered(done.id());
                    f.router.onSuccess(done.id(), RouterFixture.query(Api.RESPONSES), Optional.empty());
                }
                done.lease().close();
                idle++;
            }
        }
        // The upstream is healthy from stormEnds on; requests still in flight are answered successfully.
        while (!flights.isEmpty()) {
            Flight done = flights.poll();
            f.clock.set(max(f.clock.instant(), done.answersAt()));
            f.router.onAnswered(done.id());
            done.lease().close();
        }
        // Within the cap after recovery, each credential is offered again (as a probe at worst), and one successful
        // probe puts it fully back.
        f.clock.set(max(f.clock.instant(), stormEnds.plus(Backoff.MAX)));
        Set<CredentialId> routable = new HashSet<>();
        for (Credential c : pool) {
            RoutingPlan plan = f.plan(Api.RESPONSES);
            List<CredentialId> offered = new ArrayList<>(RouterFixture.ids(plan));
            if (offered.contains(c.id())) {
                Lease probe = f.router.begin(c.id());
                f.router.onAnswered(c.id());
                probe.close();
                routable.add(c.id());
            }
        }
        assertThat(routable).hasSize(credentials);
        assertThat(f.router.nearestCooldown(Api.RESPONSES)).isEmpty();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    @Property(tries = 1)
    void theCapIsWithinMinutes() {
        assertThat(Backoff.MAX).isBetween(Duration.ofMinutes(1), Duration.ofMinutes(5));
    }
}
