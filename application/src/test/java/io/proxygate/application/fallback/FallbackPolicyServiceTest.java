package io.proxygate.application.fallback;

import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.FallbackRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FallbackPolicyServiceTest {
    private static final FallbackPolicy CUSTOM = new FallbackPolicy(true,
            List.of(FallbackRule.of("claude-opus-4-7", "claude-sonnet-4-6")));

    @Test
    void startsWithTheDefaultPolicyWhenNoneIsStored() {
        FallbackPolicyService service = new FallbackPolicyService(new InMemoryPolicyStore(), new ScriptedVertex(true));
        assertThat(service.policy()).isEqualTo(FallbackPolicy.DEFAULT);
    }

    @Test
    void startsWithTheStoredPolicy() {
        InMemoryPolicyStore store = new InMemoryPolicyStore();
        store.stored = CUSTOM;
        assertThat(new FallbackPolicyService(store, new ScriptedVertex(true)).policy()).isEqualTo(CUSTOM);
    }

    @Test
    void replacingStoresAndAppliesThePolicy() {
        InMemoryPolicyStore store = new InMemoryPolicyStore();
        FallbackPolicyService service = new FallbackPolicyService(store, new ScriptedVertex(true));

        assertThat(service.replacePolicy(CUSTOM)).isEqualTo(CUSTOM);
        assertThat(service.get()).isEqualTo(CUSTOM);
        assertThat(store.stored).isEqualTo(CUSTOM);
    }

    @Test
    void aPolicyThatCannotBeStoredIsNotApplied() {
        InMemoryPolicyStore store = new InMemoryPolicyStore();
        store.failSaves = true;
        FallbackPolicyService service = new FallbackPolicyService(store, new ScriptedVertex(true));

        assertThatThrownBy(() -> service.replacePolicy(CUSTOM)).hasMessage("disk full");
        assertThat(service.policy()).isEqualTo(FallbackPolicy.DEFAULT);
    }

    @Test
    void reportsTheVariantCatalogAndVertexStatus() {
        FallbackPolicyService service = new FallbackPolicyService(new InMemoryPolicyStore(), new ScriptedVertex(false));
        assertThat(service.variants()).hasSize(7);
        assertThat(service.vertexStatus().available()).isFalse();
        assertThat(service.vertexStatus().error()).contains("not configured");
    }
}
