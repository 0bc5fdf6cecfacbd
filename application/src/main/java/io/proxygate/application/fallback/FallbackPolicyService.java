package io.proxygate.application.fallback;

import io.proxygate.application.port.out.FallbackPolicyPort;
import io.proxygate.application.port.out.VertexPort;
import io.proxygate.application.port.out.VertexStatus;
import io.proxygate.domain.fallback.ClaudeVariants;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.VariantInfo;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Keeps the Claude fallback policy in force: loaded from storage at start (the default when none is stored),
 * replaced live by admins, and read lock-free by every request that falls back.
 */
public final class FallbackPolicyService implements ManageClaudeFallbackUseCase, Supplier<FallbackPolicy> {
    private final FallbackPolicyPort store;
    private final VertexPort vertex;
    private final AtomicReference<FallbackPolicy> current;

    public FallbackPolicyService(FallbackPolicyPort store, VertexPort vertex) {
        this.store = Objects.requireNonNull(store, "store");
        this.vertex = Objects.requireNonNull(vertex, "vertex");
        this.current = new AtomicReference<>(store.load().orElse(FallbackPolicy.DEFAULT));
    }

    @Override
    public FallbackPolicy get() {
        return current.get();
    }

    @Override
    public FallbackPolicy policy() {
        return current.get();
    }

    @Override
    public List<VariantInfo> variants() {
        return ClaudeVariants.CATALOG;
    }

    /** Stored first, so a policy that could not be saved is not silently lost at the next restart. */
    @Override
    public synchronized FallbackPolicy replacePolicy(FallbackPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        store.save(policy);
        current.set(policy);
        return policy;
    }

    @Override
    public VertexStatus vertexStatus() {
        return vertex.status();
    }
}
