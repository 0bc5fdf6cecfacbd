package io.proxygate.adapter.out.persistence.sql;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.port.out.FallbackPolicyPort;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.FallbackRule;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings changed at run time, in the {@code settings} table. The Claude fallback policy is stored under the key
 * {@code claude_fallback_policy} in the admin API's JSON shape, so an exported value reads the same (and a policy
 * imported from the Go version's database is used as is).
 */
public final class SqlSettings implements FallbackPolicyPort {
    private static final Logger LOG = LoggerFactory.getLogger(SqlSettings.class);
    static final String CLAUDE_FALLBACK_POLICY = "claude_fallback_policy";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final SettingsDao dao;
    private final InstantSource clock;

    /** @param clock stamps {@code updated_at} */
    public SqlSettings(Jdbi jdbi, InstantSource clock) {
        this.dao = Objects.requireNonNull(jdbi, "jdbi").onDemand(SettingsDao.class);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The raw value stored under {@code key}. */
    public Optional<String> value(String key) {
        return dao.value(key);
    }

    public void put(String key, String value) {
        dao.put(key, value, clock.millis());
    }

    /** A value that no longer parses or validates is reported and ignored, so the default applies. */
    @Override
    public Optional<FallbackPolicy> load() {
        Optional<String> raw = dao.value(CLAUDE_FALLBACK_POLICY);
        if (raw.isEmpty() || raw.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(raw.get(), PolicyJson.class).toPolicy());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("ignoring the stored Claude fallback policy (using the default): {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void save(FallbackPolicy policy) {
        try {
            put(CLAUDE_FALLBACK_POLICY, JSON.writeValueAsString(PolicyJson.of(policy)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the Claude fallback policy", e);
        }
    }

    /** The stored shape: {@code {"enabled", "rules":[{...}]}}. */
    record PolicyJson(@JsonProperty("enabled") boolean enabled, @JsonProperty("rules") List<RuleJson> rules) {
        static PolicyJson of(FallbackPolicy policy) {
            return new PolicyJson(policy.enabled(), policy.rules().stream().map(RuleJson::of).toList());
        }

        FallbackPolicy toPolicy() {
            return new FallbackPolicy(enabled, rules == null ? List.of()
                    : rules.stream().map(RuleJson::toRule).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record RuleJson(@JsonProperty("enabled") boolean enabled, @JsonProperty("from_model") String fromModel,
                    @JsonProperty("from_variant") String fromVariant, @JsonProperty("to_model") String toModel,
                    @JsonProperty("to_variant") String toVariant) {
        static RuleJson of(FallbackRule r) {
            return new RuleJson(r.enabled(), r.fromModel(), r.fromVariant(), r.toModel(), r.toVariant());
        }

        FallbackRule toRule() {
            return new FallbackRule(enabled, fromModel, fromVariant, toModel, toVariant);
        }
    }
}
