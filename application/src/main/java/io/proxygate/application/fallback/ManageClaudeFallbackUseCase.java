package io.proxygate.application.fallback;

import io.proxygate.application.port.out.VertexStatus;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.VariantInfo;

import java.util.List;

/** What admins can see and change about the Claude fallback to Vertex AI. */
public interface ManageClaudeFallbackUseCase {
    /** The policy in force. */
    FallbackPolicy policy();

    /** The variants a rule may name. */
    List<VariantInfo> variants();

    /**
     * Puts {@code policy} in force at once and stores it. The policy validated itself when it was built
     * ({@link io.proxygate.domain.fallback.InvalidFallbackPolicyException}).
     *
     * @return the policy now in force
     */
    FallbackPolicy replacePolicy(FallbackPolicy policy);

    /** Whether Vertex AI can be used, and with which project, location and credentials. */
    VertexStatus vertexStatus();
}
