package io.proxygate.domain.translate;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.translate.TranslationPolicy.FamilyState;
import io.proxygate.domain.translate.TranslationPolicy.ModelMapping;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TranslationPolicyTest {
    private static final List<ModelMapping> ISSUE_EXAMPLE = List.of(
            new ModelMapping("claude-sonnet-*", "gpt-5-codex"),
            new ModelMapping("claude-opus-*", "gpt-5"),
            new ModelMapping("gpt-5*", "claude-sonnet-4-5"));

    private final TranslationPolicy on = new TranslationPolicy(true, true, ISSUE_EXAMPLE);

    @Test
    void offByDefaultNothingIsTranslated() {
        assertThat(TranslationPolicy.OFF.decide(Api.MESSAGES, "claude-sonnet-4-5", FamilyState.NONE_ROUTABLE, true))
                .isEmpty();
        assertThat(new TranslationPolicy(false, true, ISSUE_EXAMPLE)
                .decide(Api.MESSAGES, "claude-sonnet-4-5", FamilyState.NONE_ROUTABLE, true)).isEmpty();
    }

    @Test
    void aMappedModelGoesToTheOtherFamilyWhenItsOwnHasNoRoutableCredential() {
        Translation t = on.decide(Api.MESSAGES, "claude-sonnet-4-5", FamilyState.NONE_ROUTABLE, true).orElseThrow();

        assertThat(t.from()).isEqualTo(Api.MESSAGES);
        assertThat(t.to()).isEqualTo(Api.RESPONSES);
        assertThat(t.servedModel()).isEqualTo("gpt-5-codex");
        assertThat(t.describe()).isEqualTo("translated messages → responses, claude-sonnet-4-5 → gpt-5-codex, "
                + "because no messages credential can serve");
    }

    @Test
    void responsesAndChatRequestsGoToMessagesForAClaudeModel() {
        assertThat(on.decide(Api.RESPONSES, "gpt-5.1", FamilyState.EXHAUSTED, true).orElseThrow().describe())
                .isEqualTo("translated responses → messages, gpt-5.1 → claude-sonnet-4-5, because every responses "
                        + "credential is exhausted");
        assertThat(on.decide(Api.CHAT_COMPLETIONS, "gpt-5", FamilyState.NONE_ROUTABLE, true).orElseThrow().to())
                .isEqualTo(Api.MESSAGES);
    }

    @Test
    void exhaustionTranslatesOnlyWithFallbackOnExhaustion() {
        TranslationPolicy noFallback = new TranslationPolicy(true, false, ISSUE_EXAMPLE);

        assertThat(noFallback.decide(Api.MESSAGES, "claude-opus-4-1", FamilyState.EXHAUSTED, true)).isEmpty();
        assertThat(noFallback.whyNot(Api.MESSAGES, "claude-opus-4-1", FamilyState.EXHAUSTED, true))
                .contains("fallback_on_exhaustion = false");
        assertThat(noFallback.decide(Api.MESSAGES, "claude-opus-4-1", FamilyState.NONE_ROUTABLE, true)).isPresent();
    }

    @Test
    void aRoutableFamilyUnmappedModelOrMissingOtherFamilyMeansNoTranslation() {
        assertThat(on.decide(Api.MESSAGES, "claude-sonnet-4-5", FamilyState.ROUTABLE, true)).isEmpty();
        assertThat(on.decide(Api.MESSAGES, "claude-haiku-4-5", FamilyState.NONE_ROUTABLE, true)).isEmpty();
        assertThat(on.decide(Api.MESSAGES, "claude-sonnet-4-5", FamilyState.NONE_ROUTABLE, false)).isEmpty();
        assertThat(on.whyNot(Api.MESSAGES, "claude-sonnet-4-5", FamilyState.NONE_ROUTABLE, false))
                .contains("no credential of the other family");
    }

    @Test
    void theFirstMatchingGlobDecidesAndAMappingIntoTheSameFamilyIsNoTranslation() {
        TranslationPolicy ordered = new TranslationPolicy(true, true, List.of(
                new ModelMapping("claude-*", "claude-sonnet-4-5"), new ModelMapping("claude-opus-*", "gpt-5")));

        assertThat(ordered.mappingFor(Api.MESSAGES, "claude-opus-4-1")).isEmpty();
        assertThat(on.mappingFor(Api.MESSAGES, "CLAUDE-SONNET-4-5")).isPresent();
    }
}
