package io.proxygate.adapter.out.upstream.proxy;

import io.proxygate.domain.credential.OutboundProxy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefaultProxyTest {
    private static final URI CHATGPT = URI.create("https://chatgpt.com/backend-api/codex/responses");
    private static final URI PLAIN = URI.create("http://mock.internal:8080/v1/responses");

    @Test
    void theConfiguredProxyWinsOverTheEnvironmentForEveryTarget() {
        DefaultProxy p = DefaultProxy.of("socks5://u:pw@10.0.0.5:1080",
                Map.of("HTTPS_PROXY", "http://corp:3128", "NO_PROXY", "*"));
        assertThat(p.forTarget(CHATGPT).display()).isEqualTo("socks5://10.0.0.5:1080");
        assertThat(p.forTarget(PLAIN).display()).isEqualTo("socks5://10.0.0.5:1080");
        assertThat(p.describe()).doesNotContain("pw");
    }

    @Test
    void theEnvironmentIsReadAsCurlDoesLowercaseFirstWithNoProxy() {
        DefaultProxy p = DefaultProxy.of("", Map.of("https_proxy", "corp:3128", "HTTPS_PROXY", "http://other:1",
                "HTTP_PROXY", "http://plain:8080", "NO_PROXY", "localhost,.internal, example.org"));
        assertThat(p.forTarget(CHATGPT).display()).isEqualTo("http://corp:3128");
        assertThat(p.forTarget(PLAIN)).as("mock.internal matches .internal").isEqualTo(OutboundProxy.DIRECT);
        assertThat(p.forTarget(URI.create("http://api.example.org/x"))).isEqualTo(OutboundProxy.DIRECT);
        assertThat(p.forTarget(URI.create("http://notexample.org/x")).display()).isEqualTo("http://plain:8080");
        assertThat(p.forTarget(URI.create("http://localhost:1/x"))).isEqualTo(OutboundProxy.DIRECT);
    }

    @Test
    void nothingSetMeansDirect() {
        assertThat(DefaultProxy.of("", Map.of()).forTarget(CHATGPT)).isEqualTo(OutboundProxy.DIRECT);
        assertThat(DefaultProxy.of("", Map.of()).describe()).isEqualTo("direct");
    }

    @Test
    void aBadEnvironmentValueIsNamedWithoutItsPassword() {
        assertThatThrownBy(() -> DefaultProxy.of("", Map.of("HTTPS_PROXY", "ftp://u:hunter2@h:1")))
                .hasMessageContaining("HTTPS_PROXY").hasMessageNotContaining("hunter2");
    }
}
