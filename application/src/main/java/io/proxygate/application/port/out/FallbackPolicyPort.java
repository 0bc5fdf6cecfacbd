package io.proxygate.application.port.out;

import io.proxygate.domain.fallback.FallbackPolicy;

import java.util.Optional;

/** Where the Claude fallback policy survives restarts. */
public interface FallbackPolicyPort {
    /** The stored policy; empty when none was stored or the stored one can no longer be read. */
    Optional<FallbackPolicy> load();

    void save(FallbackPolicy policy);
}
