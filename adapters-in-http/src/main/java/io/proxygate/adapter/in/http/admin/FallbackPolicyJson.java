package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.FallbackRule;
import io.proxygate.domain.fallback.VariantInfo;

import java.util.List;

/** The admin API's JSON for the Claude fallback policy ({@code {enabled, rules:[...]}}, snake_case fields). */
final class FallbackPolicyJson {
    private FallbackPolicyJson() {
    }

    record Policy(@JsonProperty("enabled") boolean enabled, @JsonProperty("rules") List<Rule> rules) {
        static Policy of(FallbackPolicy policy) {
            return new Policy(policy.enabled(), policy.rules().stream().map(Rule::of).toList());
        }

        /** @throws io.proxygate.domain.fallback.InvalidFallbackPolicyException for a rule that cannot work */
        FallbackPolicy toDomain() {
            return new FallbackPolicy(enabled, rules == null ? List.of()
                    : rules.stream().filter(java.util.Objects::nonNull).map(Rule::toDomain).toList());
        }
    }

    /** {@code from_variant} is left out when the rule matches any variant (absent means any). */
    record Rule(@JsonProperty("enabled") boolean enabled,
                @JsonProperty("from_model") String fromModel,
                @JsonProperty("from_variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String fromVariant,
                @JsonProperty("to_model") String toModel,
                @JsonProperty("to_variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) String toVariant) {
        static Rule of(FallbackRule rule) {
            return new Rule(rule.enabled(), rule.fromModel(), rule.fromVariant(), rule.toModel(), rule.toVariant());
        }

        FallbackRule toDomain() {
            return new FallbackRule(enabled, fromModel, fromVariant, toModel, toVariant);
        }
    }

    record Variant(@JsonProperty("id") String id, @JsonProperty("label") String label,
                   @JsonProperty("description") String description) {
        static Variant of(VariantInfo info) {
            return new Variant(info.id(), info.label(), info.description());
        }
    }

    record PolicyReply(@JsonProperty("policy") Policy policy) {
    }

    record PolicyAndVariants(@JsonProperty("policy") Policy policy, @JsonProperty("variants") List<Variant> variants) {
    }

    record PutRequest(@JsonProperty("policy") Policy policy) {
    }
}
