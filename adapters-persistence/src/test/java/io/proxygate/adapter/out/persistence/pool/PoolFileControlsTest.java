package io.proxygate.adapter.out.persistence.pool;

import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.CredentialControls;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.OutboundProxy;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PoolFileControlsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    @TempDir
    Path pool;

    private PoolDirectoryStore store() {
        return new PoolDirectoryStore(pool, InstantSource.fixed(NOW));
    }

    private Path write(String relative, String json) throws IOException {
        Path file = pool.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    @Test
    void readsEveryControlField() throws IOException {
        write("claude/a.json", """
                {"email": "a@example.com", "access_token": "fake-access", "refresh_token": "fake-refresh",
                 "proxy": "socks5://user:s3cret@127.0.0.1:1080", "max_concurrent": 2,
                 "models": ["claude-sonnet-*", "claude-haiku-*"], "exclude_models": "*-1m", "priority": 3}""");
        PoolFile file = store().scan().getFirst();

        CredentialControls c = file.controls();
        assertThat(c.proxy()).isPresent();
        OutboundProxy proxy = c.proxy().get();
        assertThat(proxy.scheme()).isEqualTo(OutboundProxy.Scheme.SOCKS5);
        assertThat(proxy.host()).isEqualTo("127.0.0.1");
        assertThat(proxy.port()).isEqualTo(1080);
        assertThat(proxy.username()).contains("user");
        assertThat(proxy.password().map(Secret::reveal)).contains("s3cret");
        assertThat(proxy.toString()).isEqualTo("socks5://127.0.0.1:1080").doesNotContain("s3cret");
        assertThat(c.summary()).doesNotContain("s3cret").doesNotContain("user");
        assertThat(c.maxConcurrent()).isEqualTo(2);
        assertThat(c.models()).containsExactly("claude-sonnet-*", "claude-haiku-*");
        assertThat(c.excludeModels()).containsExactly("*-1m");
        assertThat(c.priority()).isEqualTo(3);
    }

    @Test
    void aFileWithoutControlsHasNone() throws IOException {
        write("claude/a.json", """
                {"email": "a@example.com", "access_token": "fake-access", "refresh_token": "fake-refresh"}""");
        assertThat(store().scan().getFirst().controls()).isEqualTo(CredentialControls.NONE);
    }

    @Test
    void aBadProxyMakesTheFileAProblemWithoutEchoingThePassword() throws IOException {
        write("claude/a.json", """
                {"email": "a@example.com", "access_token": "fake-access", "refresh_token": "fake-refresh",
                 "proxy": "ftp://user:s3cret@host:21"}""");
        PoolFile file = store().scan().getFirst();
        assertThat(file.problem()).isPresent();
        assertThat(file.problem().get()).contains("bad proxy").doesNotContain("s3cret");
    }

    @Test
    void rewritingTheCredentialKeepsTheControlsAsWritten() throws IOException {
        Path file = write("claude/a.json", """
                {"email": "a@example.com", "access_token": "fake-access", "refresh_token": "fake-refresh",
                 "proxy": "http://u:p@proxy.example:3128", "max_concurrent": 1, "models": ["claude-*"],
                 "exclude_models": ["*opus*"], "priority": -2}""");
        PoolDirectoryStore store = store();
        ClaudeAccount before = (ClaudeAccount) store.scan().getFirst().credential().orElseThrow();
        store.update(file.toString(), before.withTokens(new OAuthTokens(Secret.of("fake-access-2"),
                Optional.of(Secret.of("fake-refresh-2")), Optional.empty(), Optional.empty())));

        PoolFile after = store.scan().getFirst();
        assertThat(((ClaudeAccount) after.credential().orElseThrow()).tokens().accessToken().reveal())
                .isEqualTo("fake-access-2");
        assertThat(after.controls().proxy().map(OutboundProxy::display)).contains("http://proxy.example:3128");
        assertThat(after.controls().maxConcurrent()).isEqualTo(1);
        assertThat(after.controls().models()).isEqualTo(List.of("claude-*"));
        assertThat(after.controls().excludeModels()).isEqualTo(List.of("*opus*"));
        assertThat(after.controls().priority()).isEqualTo(-2);
        assertThat(Files.readString(file)).contains("\"proxy\": \"http://u:p@proxy.example:3128\"");
    }

    @Test
    void directAndDefaultPortsParse() {
        assertThat(OutboundProxy.parse("direct").isDirect()).isTrue();
        assertThat(OutboundProxy.parse("http://proxy.example").port()).isEqualTo(80);
        assertThat(OutboundProxy.parse("socks5h://proxy.example").port()).isEqualTo(1080);
        assertThat(OutboundProxy.parse("http://a%40b:p%3Aw@h:1").username()).contains("a@b");
        assertThat(OutboundProxy.parse("http://a%40b:p%3Aw@h:1").password().map(Secret::reveal)).contains("p:w");
    }
}
