package io.proxygate.application.auth;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.BrowserPort;
import io.proxygate.application.port.out.OAuthPort;
import io.proxygate.application.port.out.PendingLoginPort;
import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.Secret;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LoginServiceAuthorizeUrlTest {
    private final LoginService service = new LoginService(new CredentialPool(new NoDirectory()), new NoOAuth(),
            new NoPending(), (first, last, path, state) -> {
                throw new java.io.IOException("unused");
            }, BrowserPort.NONE,
            LoginSettings.withEndpoints(URI.create("https://auth.example.test/"),
                    URI.create("https://claude.example.test/oauth/authorize")),
            InstantSource.fixed(Instant.EPOCH), new Random(1));

    @Test
    void chatGptUrlCarriesTheCodexCliParameters() {
        URI url = service.authorizeUrl(OAuthProvider.CHATGPT, "http://localhost:1455/auth/callback", "CHALLENGE",
                "abc123");

        assertThat(url.getScheme() + "://" + url.getHost() + url.getPath())
                .isEqualTo("https://auth.example.test/oauth/authorize");
        assertThat(query(url)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("response_type", "code"),
                Map.entry("client_id", "app_EMoamEEZ73f0CkXaXp7hrann"),
                Map.entry("redirect_uri", "http://localhost:1455/auth/callback"),
                Map.entry("scope", "openid profile email offline_access"),
                Map.entry("code_challenge", "CHALLENGE"),
                Map.entry("code_challenge_method", "S256"),
                Map.entry("state", "abc123"),
                Map.entry("id_token_add_organizations", "true"),
                Map.entry("codex_cli_simplified_flow", "true"),
                Map.entry("originator", "codex_cli_rs"),
                Map.entry("prompt", "login"),
                Map.entry("max_age", "0")));
        assertThat(url.getRawQuery()).contains("scope=openid+profile+email+offline_access");
    }

    @Test
    void claudeUrlCarriesClaudeCodesParameters() {
        URI url = service.authorizeUrl(OAuthProvider.CLAUDE, "http://localhost:1461/callback", "CH", "st");

        assertThat(url.toString()).startsWith("https://claude.example.test/oauth/authorize?code=true&");
        assertThat(query(url)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "code", "true",
                "response_type", "code",
                "client_id", "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
                "redirect_uri", "http://localhost:1461/callback",
                "scope", "org:create_api_key user:profile user:inference user:sessions:claude_code user:file_upload",
                "code_challenge", "CH",
                "code_challenge_method", "S256",
                "state", "st"));
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static final class NoDirectory implements PoolDirectoryPort {
        public List<PoolFile> scan() {
            return List.of();
        }

        public AutoCloseable watch(Runnable onChange) {
            return () -> {
            };
        }

        public void update(String path, Credential updated) {
            throw new UnsupportedOperationException();
        }

        public String add(Credential credential) {
            throw new UnsupportedOperationException();
        }

        public void delete(String path) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class NoPending implements PendingLoginPort {
        public void save(OAuthProvider provider, PendingLogin login) {
            throw new UnsupportedOperationException();
        }

        public Optional<PendingLogin> load(OAuthProvider provider) {
            return Optional.empty();
        }

        public boolean clear(OAuthProvider provider) {
            return false;
        }
    }

    private static final class NoOAuth implements OAuthPort {
        public TokenGrant exchangeChatGptCode(String code, String verifier, String redirectUri) {
            throw new UnsupportedOperationException();
        }

        public TokenGrant exchangeClaudeCode(String code, String verifier, String redirectUri, String state) {
            throw new UnsupportedOperationException();
        }

        public TokenGrant refresh(OAuthProvider provider, Optional<CredentialId> account, Secret refreshToken) {
            throw new UnsupportedOperationException();
        }

        public ClaudeProfile fetchClaudeProfile(Secret accessToken) {
            throw new UnsupportedOperationException();
        }

        public DeviceCode requestChatGptDeviceCode() {
            throw new UnsupportedOperationException();
        }

        public Optional<DeviceAuthorization> pollChatGptDeviceCode(DeviceCode code) {
            throw new UnsupportedOperationException();
        }
    }
}
