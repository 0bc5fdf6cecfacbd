package io.proxygate.bootstrap.cli;

import io.proxygate.adapter.out.persistence.pool.CredentialImports;
import io.proxygate.adapter.out.persistence.pool.PoolDirectoryStore;
import io.proxygate.adapter.out.upstream.oauth.DesktopBrowser;
import io.proxygate.adapter.out.upstream.oauth.HttpOAuthClient;
import io.proxygate.adapter.out.persistence.login.JsonPendingLoginStore;
import io.proxygate.adapter.out.upstream.oauth.LoopbackCallbackServer;
import io.proxygate.adapter.out.upstream.oauth.OAuthSettings;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.auth.LoginSettings;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;

/** The services a CLI command needs, built from the same configuration the server reads; no server involved. */
final class CliServices implements AutoCloseable {
    final ProxyGateConfiguration config;
    final InstantSource clock = InstantSource.system();
    final PoolDirectoryStore store;
    final CredentialPool pool;
    private HttpOAuthClient oauthClient;

    /** The environment the desktop browser opener looks in (PATH, DISPLAY). */
    private final java.util.Map<String, String> env;

    CliServices(ProxyGateConfiguration config) {
        this(config, System.getenv());
    }

    CliServices(ProxyGateConfiguration config, java.util.Map<String, String> env) {
        this.config = config;
        this.env = env;
        this.store = new PoolDirectoryStore(config.paths.poolDir, clock);
        this.pool = new CredentialPool(store);
        pool.reload();
    }

    CredentialImports imports() {
        return new CredentialImports(clock);
    }

    LoginService logins() {
        if (oauthClient == null) {
            oauthClient = new HttpOAuthClient(oauthSettings(config),
                    io.proxygate.bootstrap.Wiring.proxySelection(config, pool));
        }
        return new LoginService(pool, oauthClient, new JsonPendingLoginStore(config.paths.dataDir),
                new LoopbackCallbackServer(), new DesktopBrowser(env), loginSettings(config), clock, new SecureRandom());
    }

    static OAuthSettings oauthSettings(ProxyGateConfiguration config) {
        return new OAuthSettings(URI.create(config.oauth.openaiIssuer), URI.create(config.oauth.claudeAuthorizeUrl),
                URI.create(config.oauth.anthropicTokenUrl), URI.create(config.upstream.anthropicApiBaseUrl),
                Duration.ofSeconds(30));
    }

    static LoginSettings loginSettings(ProxyGateConfiguration config) {
        return LoginSettings.withEndpoints(URI.create(config.oauth.openaiIssuer),
                URI.create(config.oauth.claudeAuthorizeUrl));
    }

    @Override
    public void close() {
        if (oauthClient != null) {
            oauthClient.close();
        }
    }
}
