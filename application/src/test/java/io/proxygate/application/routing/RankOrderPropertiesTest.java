package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialControls;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.routing.ConversationKey;
import io.proxygate.domain.routing.ModelFamily;
import io.proxygate.domain.routing.RoutingPriority;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.testsupport.FakeCredentials;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pick walks each family in its rank order and stops early; the explain plan looks at every credential. Over
 * random pools (every kind, plans, usage windows resetting or going stale around the pick, cooldowns, requests in
 * flight, token loads, disabled credentials, pins, model rules, priority tiers) changing between picks, both must
 * offer the same candidates in the same order, and the pick's skips must be among the explain plan's.
 */
class RankOrderPropertiesTest {
    private static final String[] MODELS = {"gpt-5", "claude-opus-4-1", "claude-sonnet-4-5"};
    /** Mostly one plan, so that usage decides and ranks are close. */
    private static final PlanType[] PLANS = {PlanType.PLUS, PlanType.PLUS, PlanType.PLUS, PlanType.PRO,
            PlanType.UNKNOWN};

    @Property(tries = 200, seed = "20261205")
    void anEarlyStoppingPickOffersWhatTheWholeWalkOffers(@ForAll long seed,
                                                          @ForAll @IntRange(min = 1, max = 48) int size,
                                                          @ForAll @IntRange(min = 1, max = 3) int perKind) {
        Random random = new Random(seed);
        List<Credential> creds = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            creds.add(credential(i, random));
        }
        RoutingSettings settings = RoutingSettings.DEFAULTS
                .withPriority(random.nextBoolean() ? RoutingPriority.ACCOUNT_FIRST : RoutingPriority.APIKEY_FIRST)
                .withUsedPctMax(random.nextInt(4) == 0 ? 0.8 : 1.0, random.nextInt(4) == 0 ? 0.85 : 1.0)
                .withCandidatesPerKind(perKind);
        RouterFixture f = new RouterFixture(settings, creds.toArray(Credential[]::new));
        for (Credential c : creds) {
            if (random.nextInt(8) == 0) {
                // Model rules and tiers; an in-flight cap only now and then (such families are walked whole).
                f.directory.control(c, new CredentialControls(Optional.empty(), random.nextInt(10) == 0 ? 2 : 0,
                        List.of(), random.nextBoolean() ? List.of("*opus*") : List.of(), random.nextInt(3) - 1));
            }
        }
        f.pool.reload();
        f.router.walkInRankOrderFrom(0);
        for (Credential c : creds) {
            if (random.nextInt(4) != 0) {
                f.router.onWindows(c.id(), windows(f.clock.instant(), random));
            }
        }
        List<Lease> leases = new ArrayList<>();

        for (int step = 0; step < 40; step++) {
            CredentialId id = creds.get(random.nextInt(size)).id();
            switch (random.nextInt(11)) {
                case 0, 1 -> f.router.onWindows(id, windows(f.clock.instant(), random));
                case 2 -> f.router.onSuccess(id, RouterFixture.query(Api.RESPONSES), Optional.empty());
                case 3 -> leases.add(f.router.begin(id));
                case 4 -> {
                    if (!leases.isEmpty()) {
                        leases.remove(random.nextInt(leases.size())).close();
                    }
                }
                case 5 -> f.router.onUsage(id, new TokenUsage(random.nextInt(5_000), 0, 0, random.nextInt(2_000), 0));
                case 6 -> f.router.onFailure(id, new AttemptFailure.RateLimited(
                        Duration.ofMillis(random.nextInt(4_000) + 1)));
                case 7 -> f.router.onModelRateLimited(id, ModelFamily.of(MODELS[random.nextInt(MODELS.length)]),
                        Duration.ofMillis(random.nextInt(3_000) + 1));
                case 8 -> f.router.onSuccess(id, conversation(Api.RESPONSES, "c" + random.nextInt(3)),
                        Optional.empty());
                case 9 -> f.router.onFirstByte(id, Duration.ofMillis(random.nextInt(3) * 500L));
                default -> f.clock.advance(Duration.ofMillis(random.nextInt(4) == 0 ? random.nextInt(20_000)
                        : random.nextInt(1_500)));
            }
            if (random.nextInt(3) == 0) {
                f.clock.advance(Duration.ofMillis(random.nextInt(1_200)));
            }
            for (Api api : new Api[]{Api.RESPONSES, Api.MESSAGES, Api.CHAT_COMPLETIONS}) {
                String model = MODELS[random.nextInt(MODELS.length)];
                RouteQuery query = random.nextBoolean()
                        ? new RouteQuery(api, model, Optional.of(ConversationKey.session("c" + random.nextInt(3))),
                        Optional.empty())
                        : new RouteQuery(api, model, Optional.empty(), Optional.empty());
                RoutingPlan pick = f.router.plan(query);
                RoutingPlan whole = f.router.explainPlan(query);
                assertThat(pick.candidates()).as("step %d, %s", step, api).isEqualTo(whole.candidates());
                assertThat(pick.pinned()).isEqualTo(whole.pinned());
                assertThat(pick.moved()).isEqualTo(whole.moved());
                assertThat(whole.skipped()).containsAll(pick.skipped());
            }
        }
        leases.forEach(Lease::close);
    }

    private static Credential credential(int i, Random random) {
        Credential c = switch (random.nextInt(5)) {
            case 0, 1 -> FakeCredentials.chatgpt("gpt" + i + "@example.com", PLANS[random.nextInt(PLANS.length)]);
            case 2 -> FakeCredentials.claude("claude" + i + "@example.com");
            case 3 -> FakeCredentials.key("openai-" + i, ApiKeyType.OPENAI);
            default -> FakeCredentials.key("anthropic-" + i, ApiKeyType.ANTHROPIC);
        };
        return c.withDisabled(random.nextInt(12) == 0);
    }

    /**
     * An observation with resets and staleness near now: windows that roll over, and Claude observations that
     * go stale, within the span of a rank order. Usage levels are coarse, so that ranks often tie.
     */
    private static UsageWindows windows(Instant now, Random random) {
        Instant observed = switch (random.nextInt(3)) {
            case 0 -> now;
            case 1 -> now.minus(Duration.ofMinutes(15)).plusMillis(random.nextInt(6_000) - 3_000);
            default -> now.minusSeconds(random.nextInt(3_600));
        };
        return new UsageWindows(
                random.nextInt(6) == 0 ? Optional.empty()
                        : Optional.of(window(now, random, UsageWindow.FIVE_HOURS)),
                random.nextInt(6) == 0 ? Optional.empty() : Optional.of(window(now, random, UsageWindow.WEEK)),
                random.nextInt(20) == 0, observed);
    }

    private static UsageWindow window(Instant now, Random random, Duration length) {
        double used = random.nextInt(5) == 0 ? random.nextDouble() : random.nextInt(11) / 10.0;
        Optional<Instant> reset = switch (random.nextInt(5)) {
            case 0 -> Optional.empty();
            case 1, 2 -> Optional.of(now.plusMillis(random.nextInt(6_000) - 1_000));
            default -> Optional.of(now.plusSeconds(random.nextInt((int) length.toSeconds())));
        };
        return new UsageWindow(used, reset, length);
    }

    private static RouteQuery conversation(Api api, String session) {
        return new RouteQuery(api, "gpt-5", Optional.of(ConversationKey.session(session)), Optional.empty());
    }
}
