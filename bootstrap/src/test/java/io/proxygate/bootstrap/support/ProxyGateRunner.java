package io.proxygate.bootstrap.support;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.proxygate.bootstrap.ProxyGateApplication;
import io.proxygate.bootstrap.config.ConfigLoader;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.MockUpstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starts the real application on free loopback ports with temp data and pool directories. */
public final class ProxyGateRunner {
    private ProxyGateRunner() {
    }

    /** Configuration as a user would give it through {@code PROXYGATE_*} variables, plus test defaults. */
    public static ProxyGateConfiguration config(Path root, Map<String, String> env) {
        return load(root.resolve("absent-config.toml"), root, env);
    }

    /**
     * As {@link #config(Path, Map)}, with {@code toml} as the user's {@code config.toml} (written under root); failing
     * unchecked, for the static initialisers that start a test's application.
     */
    public static ProxyGateConfiguration config(Path root, String toml, Map<String, String> env) {
        Path file = root.resolve("config.toml");
        try {
            Files.writeString(file, toml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return load(file, root, env);
    }

    private static ProxyGateConfiguration load(Path file, Path root, Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        all.put("PROXYGATE_ADDR", "127.0.0.1:0");
        all.put("PROXYGATE_ADMIN_ADDR", "127.0.0.1:0");
        all.put("PROXYGATE_DATA_DIR", root.resolve("data").toString());
        all.put("PROXYGATE_POOL_DIR", root.resolve("pool").toString());
        all.put("PROXYGATE_PRICING_SOURCE", "builtin");
        all.put("PROXYGATE_LOG_LEVEL", System.getProperty("proxygate.test.log", "warn"));
        all.putAll(env);
        return new ConfigLoader().load(file, all);
    }

    /**
     * {@code env} plus the variables that send every upstream call to one mock at {@code url}: ChatGPT under
     * {@code /backend-api}, OpenAI under {@code /v1}, Anthropic at the root, and the ChatGPT and Claude usage polls to
     * {@code /wham/usage} and {@code /api/oauth/usage}. A provider the pool has no credential for is never called, so
     * a test serves only the paths its own pool reaches. {@code env} wins where it names the same variable.
     */
    public static Map<String, String> upstreamsAt(String url, Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        all.put("PROXYGATE_UPSTREAM_CHATGPT_BASE_URL", url + "/backend-api");
        all.put("PROXYGATE_UPSTREAM_OPENAI_BASE_URL", url + "/v1");
        all.put("PROXYGATE_UPSTREAM_ANTHROPIC_BASE_URL", url);
        all.put("PROXYGATE_CHATGPT_USAGE_URL", url + "/wham/usage");
        all.put("PROXYGATE_CLAUDE_USAGE_URL", url + "/api/oauth/usage");
        all.putAll(env);
        return all;
    }

    /**
     * {@code env} plus the short variables the gates and the Go original's deployments use, each a full endpoint URL
     * at the mock at {@code url}: ChatGPT at {@code /responses}, chat completions at {@code /v1/chat/completions},
     * Anthropic Messages at {@code /v1/messages}. {@code env} wins where it names the same variable.
     */
    public static Map<String, String> fullUpstreamUrlsAt(String url, Map<String, String> env) {
        Map<String, String> all = new HashMap<>();
        all.put("PROXYGATE_CHATGPT_BASE_URL", url + "/responses");
        all.put("PROXYGATE_CHAT_BASE_URL", url + "/v1/chat/completions");
        all.put("PROXYGATE_ANTHROPIC_BASE_URL", url + "/v1/messages");
        all.putAll(env);
        return all;
    }

    /**
     * A started mock whose ChatGPT and Claude usage endpoints answer {@code {}}: the accounts' usage polls (see
     * {@link #upstreamsAt}) then report nothing, and no account's state moves because of them.
     */
    public static MockUpstream upstreamWithEmptyUsage() {
        MockUpstream mock = MockUpstream.started();
        mock.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        mock.on("GET", "/api/oauth/usage", (r, ex) -> MockUpstream.json(ex, 200, "{}"));
        return mock;
    }

    public static DropwizardAppExtension<ProxyGateConfiguration> extension(ProxyGateConfiguration config) {
        return new DropwizardAppExtension<>(ProxyGateApplication.class, config);
    }
}
