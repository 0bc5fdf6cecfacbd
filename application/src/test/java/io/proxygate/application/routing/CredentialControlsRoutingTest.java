package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.ApiKeyType;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialControls;
import io.proxygate.domain.routing.ConversationKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.proxygate.testsupport.FakeCredentials.claude;
import static io.proxygate.testsupport.FakeCredentials.key;
import static io.proxygate.application.routing.RouterFixture.ids;
import static io.proxygate.application.routing.RouterFixture.skipReason;
import static org.assertj.core.api.Assertions.assertThat;

class CredentialControlsRoutingTest {
    private static final ClaudeAccount A = claude("a@example.com");
    private static final ClaudeAccount B = claude("b@example.com");
    private static final Credential KEY = key("anthropic-1", ApiKeyType.ANTHROPIC);

    private final RouterFixture f = new RouterFixture(A, B, KEY);

    private void control(Credential c, CredentialControls controls) {
        f.directory.control(c, controls);
        f.pool.reload();
    }

    private static CredentialControls models(List<String> allow, List<String> exclude) {
        return new CredentialControls(Optional.empty(), 0, allow, exclude, 0);
    }

    private RoutingPlan plan(String model) {
        return f.router.plan(new RouteQuery(Api.MESSAGES, model, Optional.empty(), Optional.empty()));
    }

    @Test
    void aModelOutsideTheAllowListOrInTheExcludeListNeverReachesTheCredential() {
        control(A, models(List.of("claude-sonnet-*"), List.of()));
        control(B, models(List.of(), List.of("*opus*")));

        assertThat(ids(plan("claude-opus-4-1"))).containsExactly(KEY.id());
        assertThat(skipReason(plan("claude-opus-4-1"), A.id()).orElseThrow()).contains("not in models");
        assertThat(skipReason(plan("claude-opus-4-1"), B.id()).orElseThrow()).contains("exclude_models");
        assertThat(ids(plan("claude-sonnet-4-5"))).contains(A.id(), B.id());
        assertThat(ids(plan("claude-haiku-4-5"))).doesNotContain(A.id()).contains(B.id());
    }

    @Test
    void aPinnedCredentialIsLeftWhenTheModelIsNotAllowed() {
        f.router.onSuccess(A.id(), new RouteQuery(Api.MESSAGES, "claude-sonnet-4-5",
                Optional.of(ConversationKey.session("s1")), Optional.empty()), Optional.empty());
        control(A, models(List.of("claude-sonnet-*"), List.of()));
        RoutingPlan plan = f.router.plan(new RouteQuery(Api.MESSAGES, "claude-opus-4-1",
                Optional.of(ConversationKey.session("s1")), Optional.empty()));
        assertThat(ids(plan)).doesNotContain(A.id());
    }

    @Test
    void higherTiersComeFirstWhateverTheKindOrder() {
        control(KEY, new CredentialControls(Optional.empty(), 0, List.of(), List.of(), 5));
        control(B, new CredentialControls(Optional.empty(), 0, List.of(), List.of(), -1));
        assertThat(ids(plan("claude-sonnet-4-5"))).containsExactly(KEY.id(), A.id(), B.id());
    }

    @Test
    void aLowerTierIsUsedWhenNoCredentialOfTheHigherTierCanServe() {
        control(A, new CredentialControls(Optional.empty(), 0, List.of(), List.of(), 2));
        control(B, new CredentialControls(Optional.empty(), 0, List.of(), List.of(), 1));
        f.router.onFailure(A.id(), new AttemptFailure.RateLimited(java.time.Duration.ofMinutes(1)));
        assertThat(ids(plan("claude-sonnet-4-5"))).containsExactly(B.id(), KEY.id());
    }

    @Test
    void aCredentialAtItsCapIsPassedOverUntilARequestEnds() throws Exception {
        control(A, new CredentialControls(Optional.empty(), 1, List.of(), List.of(), 0));
        Lease lease = f.router.begin(A.id());
        RoutingPlan busy = plan("claude-sonnet-4-5");
        assertThat(ids(busy)).doesNotContain(A.id());
        assertThat(skipReason(busy, A.id()).orElseThrow()).contains("max_concurrent 1");
        lease.close();
        assertThat(ids(plan("claude-sonnet-4-5"))).contains(A.id());
    }

    @Test
    void globsMatchCaseInsensitivelyWithStarAndQuestionMark() {
        CredentialControls c = models(List.of("GPT-5*", "o?-mini"), List.of("gpt-5-codex-*"));
        assertThat(c.allowsModel("gpt-5")).isTrue();
        assertThat(c.allowsModel("gpt-5.1")).isTrue();
        assertThat(c.allowsModel("o4-mini")).isTrue();
        assertThat(c.allowsModel("o4-mini-high")).isFalse();
        assertThat(c.allowsModel("gpt-5-codex-max")).isFalse();
        assertThat(c.allowsModel("claude-opus")).isFalse();
    }

    @Test
    void aModelCooldownLeavesTheCredentialServingOtherFamilies() {
        f.router.onModelRateLimited(A.id(), "opus", java.time.Duration.ofMinutes(10));
        RoutingPlan opus = plan("claude-opus-4-1");
        assertThat(ids(opus)).doesNotContain(A.id());
        assertThat(skipReason(opus, A.id()).orElseThrow()).contains("model opus cooling down");
        assertThat(ids(plan("claude-sonnet-4-5"))).contains(A.id());
        assertThat(f.router.modelCooldowns(A.id())).containsOnlyKeys("opus");
        assertThat(f.router.nearestModelCooldown("claude-opus-4-1")).contains(java.time.Duration.ofMinutes(10));

        f.clock.advance(java.time.Duration.ofMinutes(11));
        assertThat(ids(plan("claude-opus-4-1"))).contains(A.id());
        assertThat(f.router.modelCooldowns(A.id())).isEmpty();
    }

    @Test
    void aFourTwentyNineIsModelScopedOnlyWhenItNamesTheModelOrItsFamily() {
        java.util.function.Function<String, Optional<String>> none = h -> Optional.empty();
        assertThat(io.proxygate.domain.routing.ModelFamily.limitedBy429(none,
                "{\"error\":{\"message\":\"Opus weekly limit reached\"}}", "claude-opus-4-1")).contains("opus");
        assertThat(io.proxygate.domain.routing.ModelFamily.limitedBy429(none, "rate limited", "claude-opus-4-1"))
                .isEmpty();
        assertThat(io.proxygate.domain.routing.ModelFamily.limitedBy429(
                h -> Optional.of("seven_day_opus"), "", "claude-opus-4-1")).contains("opus");
        assertThat(io.proxygate.domain.routing.ModelFamily.limitedBy429(
                h -> Optional.of("five_hour"), "opus", "claude-opus-4-1")).isEmpty();
        assertThat(io.proxygate.domain.routing.ModelFamily.limitedBy429(none, "limit for gpt-5-pro", "gpt-5-pro"))
                .contains("gpt-5-pro");
    }
}
