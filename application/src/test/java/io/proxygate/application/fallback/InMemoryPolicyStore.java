package io.proxygate.application.fallback;

import io.proxygate.application.port.out.FallbackPolicyPort;
import io.proxygate.domain.fallback.FallbackPolicy;

import java.util.Optional;

final class InMemoryPolicyStore implements FallbackPolicyPort {
    FallbackPolicy stored;
    boolean failSaves;

    @Override
    public Optional<FallbackPolicy> load() {
        return Optional.ofNullable(stored);
    }

    @Override
    public void save(FallbackPolicy policy) {
        if (failSaves) {
            throw new IllegalStateException("disk full");
        }
        stored = policy;
    }
}
