package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.proxy.Headers;
import io.proxygate.application.proxy.Route;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.CredentialKind;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns one attempt into the request its upstream expects: URL, auth, required headers, the client headers each
 * upstream may see (an allow-list, so the client's own {@code Authorization}, {@code x-api-key} and
 * {@code X-ProxyGate-Token} can never leak), and the body rewrites the ChatGPT backend and Claude OAuth need.
 *
 * <p>Query strings: the client's query is forwarded, except Claude Code's {@code beta=true}, which is dropped toward
 * Anthropic as the original did (the betas travel in {@code anthropic-beta}).
 */
final class RequestShaper {
    static final String ANTHROPIC_VERSION = "2023-06-01";
    static final String OAUTH_BETA = "oauth-2025-04-20";
    static final String EVENT_STREAM = "text/event-stream";
    static final String JSON = "application/json";

    /** What the original's passthrough copied from the client. */
    private static final Set<String> PASSTHROUGH_HEADERS = Set.of(
            "accept", "accept-language", "user-agent", "x-client-request-id");
    private static final Set<String> OPENAI_PASSTHROUGH = Set.of(
            "originator", "user-agent", "session_id", "x-client-request-id", "x-openai-subagent",
            "x-codex-turn-state", "x-session-affinity", "openai-beta", "openai-organization", "openai-project");
    private static final Set<String> ANTHROPIC_PASSTHROUGH = Set.of(
            "user-agent", "x-app", "x-claude-code-session-id", "x-request-id", "x-client-request-id",
            "x-session-affinity", "anthropic-dangerous-direct-browser-access");
    private static final String STAINLESS_PREFIX = "x-stainless-";

    private final UpstreamSettings settings;

    RequestShaper(UpstreamSettings settings) {
        this.settings = settings;
    }

    PreparedRequest shape(UpstreamRequest request) {
        return switch (request.credential()) {
            case ChatGptAccount account -> chatgpt(request, account);
            case ClaudeAccount account -> claudeAccount(request, account);
            case ApiKey key when key.kind() == CredentialKind.OPENAI_KEY -> openaiKey(request, key);
            case ApiKey key when key.kind() == CredentialKind.ANTHROPIC_KEY -> anthropicKey(request, key);
            case ApiKey key -> throw new IllegalArgumentException(
                    "API key type " + key.type().wireName() + " is not routed (" + key.label() + ")");
        };
    }

    private PreparedRequest chatgpt(UpstreamRequest r, ChatGptAccount account) {
        if (r.route() == Route.PASSTHROUGH) {
            return chatgptPassthrough(r, account);
        }
        String url = switch (r.route()) {
            case RESPONSES -> settings.chatgptResponsesUrl();
            case RESPONSES_COMPACT -> settings.chatgptCompactUrl();
            case MODELS -> settings.chatgptModelsUrl();
            default -> throw unsupported(r.route(), "a ChatGPT account");
        };
        List<Header> headers = new ArrayList<>();
        headers.add(new BasicHeader("Authorization", "Bearer " + account.tokens().accessToken().reveal()));
        if (!account.accountId().isBlank()) {
            headers.add(new BasicHeader("ChatGPT-Account-Id", account.accountId()));
        }
        headers.add(new BasicHeader("Accept", r.route() == Route.RESPONSES ? EVENT_STREAM : JSON));
        headers.add(new BasicHeader("Accept-Encoding", "identity"));
        copy(r.clientHeaders(), OPENAI_PASSTHROUGH, false, headers);
        if (r.route() == Route.MODELS) {
            return new PreparedRequest("GET", uri(url, r.query()), headers, Optional.empty(), false);
        }
        byte[] body = CodexBodyRewriter.rewrite(r.body(), r.route() == Route.RESPONSES_COMPACT);
        return new PreparedRequest("POST", uri(url, r.query()), headers, Optional.of(body),
                r.route() == Route.RESPONSES && !r.clientWantsStream());
    }

    /**
     * ChatGPT web/backend paths (the original's passthrough): same method, path and query on the ChatGPT host,
     * the account's bearer and id, and only the client headers the original let through.
     */
    private PreparedRequest chatgptPassthrough(UpstreamRequest r, ChatGptAccount account) {
        URI models = URI.create(settings.chatgptModelsUrl());
        String origin = models.getScheme() + "://" + models.getRawAuthority();
        List<Header> headers = new ArrayList<>();
        headers.add(new BasicHeader("Authorization", "Bearer " + account.tokens().accessToken().reveal()));
        if (!account.accountId().isBlank()) {
            headers.add(new BasicHeader("ChatGPT-Account-Id", account.accountId()));
        }
        copy(r.clientHeaders(), PASSTHROUGH_HEADERS, false, headers);
        boolean hasBody = r.body().length > 0 && !r.method().equals("GET") && !r.method().equals("HEAD");
        return new PreparedRequest(r.method(), uri(origin + r.path(), r.query()), headers,
                hasBody ? Optional.of(r.body()) : Optional.empty(), false);
    }

    private PreparedRequest openaiKey(UpstreamRequest r, ApiKey key) {
        Optional<String> keyBase = key.baseUrl().map(UpstreamSettings::trimTrailingSlash);
        String base = keyBase.orElseGet(() -> UpstreamSettings.trimTrailingSlash(settings.openaiBaseUrl()));
        String url = switch (r.route()) {
            case RESPONSES -> keyBase.isPresent() ? base + "/responses"
                    : settings.openaiResponsesUrl().orElse(base + "/responses");
            case RESPONSES_COMPACT -> keyBase.isPresent() ? base + "/responses/compact"
                    : settings.openaiResponsesUrl().map(u -> UpstreamSettings.trimTrailingSlash(u) + "/compact")
                    .orElse(base + "/responses/compact");
            case CHAT_COMPLETIONS -> keyBase.isPresent() ? base + "/chat/completions"
                    : settings.openaiChatUrl().orElse(base + "/chat/completions");
            case MODELS -> base + "/models";
            default -> throw unsupported(r.route(), "an OpenAI key");
        };
        List<Header> headers = new ArrayList<>();
        headers.add(new BasicHeader("Authorization", "Bearer " + key.key().reveal()));
        boolean streams = r.route() == Route.RESPONSES || r.route() == Route.CHAT_COMPLETIONS;
        headers.add(new BasicHeader("Accept", streams && r.clientWantsStream() ? EVENT_STREAM : JSON));
        headers.add(new BasicHeader("Accept-Encoding", "identity"));
        copy(r.clientHeaders(), OPENAI_PASSTHROUGH, false, headers);
        if (r.route() == Route.MODELS) {
            return new PreparedRequest("GET", uri(url, r.query()), headers, Optional.empty(), false);
        }
        return new PreparedRequest("POST", uri(url, r.query()), headers, Optional.of(r.body()), false);
    }

    private PreparedRequest claudeAccount(UpstreamRequest r, ClaudeAccount account) {
        String url = anthropicUrl(r.route(), Optional.empty());
        boolean mimic = settings.claudeCodeMimicry() && !ClaudeCodeMimicry.isClaudeCode(r.clientHeaders(), r.body());
        List<Header> headers = new ArrayList<>();
        headers.add(new BasicHeader("Authorization", "Bearer " + account.tokens().accessToken().reveal()));
        headers.add(new BasicHeader("anthropic-version", anthropicVersion(r.clientHeaders())));
        List<String> required = mimic ? ClaudeCodeMimicry.BETAS : List.of(OAUTH_BETA);
        headers.add(new BasicHeader("anthropic-beta", betas(required, r.clientHeaders())));
        headers.add(new BasicHeader("Accept", anthropicAccept(r)));
        headers.add(new BasicHeader("Accept-Encoding", "identity"));
        if (mimic) {
            headers.add(new BasicHeader("User-Agent", settings.claudeCodeUserAgent()));
            headers.add(new BasicHeader("X-App", "cli"));
            headers.add(new BasicHeader("anthropic-dangerous-direct-browser-access", "true"));
            copy(r.clientHeaders(), Set.of("x-claude-code-session-id", "x-request-id", "x-client-request-id",
                    "x-session-affinity"), true, headers);
        } else {
            copy(r.clientHeaders(), ANTHROPIC_PASSTHROUGH, true, headers);
        }
        byte[] body = mimic ? ClaudeCodeMimicry.withBanner(r.body()) : r.body();
        return new PreparedRequest("POST", uri(url, withoutBeta(r.query())), headers, Optional.of(body), false);
    }

    private PreparedRequest anthropicKey(UpstreamRequest r, ApiKey key) {
        String url = anthropicUrl(r.route(), key.baseUrl());
        List<Header> headers = new ArrayList<>();
        headers.add(new BasicHeader("x-api-key", key.key().reveal()));
        headers.add(new BasicHeader("anthropic-version", anthropicVersion(r.clientHeaders())));
        String clientBetas = betas(List.of(), r.clientHeaders());
        if (!clientBetas.isEmpty()) {
            headers.add(new BasicHeader("anthropic-beta", clientBetas));
        }
        headers.add(new BasicHeader("Accept", anthropicAccept(r)));
        headers.add(new BasicHeader("Accept-Encoding", "identity"));
        copy(r.clientHeaders(), ANTHROPIC_PASSTHROUGH, true, headers);
        return new PreparedRequest("POST", uri(url, withoutBeta(r.query())), headers, Optional.of(r.body()), false);
    }

    private String anthropicUrl(Route route, Optional<String> keyBase) {
        String messages = keyBase.map(b -> UpstreamSettings.trimTrailingSlash(b) + "/v1/messages")
                .orElse(UpstreamSettings.trimTrailingSlash(settings.anthropicMessagesUrl()));
        return switch (route) {
            case MESSAGES -> messages;
            case MESSAGES_COUNT_TOKENS -> messages + "/count_tokens";
            default -> throw unsupported(route, "an Anthropic credential");
        };
    }

    private static String anthropicVersion(Headers client) {
        return client.first("anthropic-version").map(String::trim).orElse(ANTHROPIC_VERSION);
    }

    private static String anthropicAccept(UpstreamRequest r) {
        return r.clientHeaders().first("accept").orElse(r.clientWantsStream() ? EVENT_STREAM : JSON);
    }

    /** {@code required} first, then the client's betas (every header, comma lists split), trimmed, de-duplicated. */
    static String betas(List<String> required, Headers client) {
        Set<String> all = new LinkedHashSet<>(required);
        for (String value : client.all("anthropic-beta")) {
            for (String beta : value.split(",")) {
                if (!beta.isBlank()) {
                    all.add(beta.trim());
                }
            }
        }
        return String.join(",", all);
    }

    private static void copy(Headers client, Set<String> allowed, boolean stainless, List<Header> out) {
        for (Map.Entry<String, String> field : client.fields()) {
            String name = Headers.normalise(field.getKey());
            if (field.getValue() == null) {
                continue;
            }
            if (allowed.contains(name) || (stainless && name.startsWith(STAINLESS_PREFIX))) {
                out.add(new BasicHeader(field.getKey(), field.getValue()));
            }
        }
    }

    private static String withoutBeta(String query) {
        if (query.isEmpty()) {
            return query;
        }
        return Arrays.stream(query.split("&"))
                .filter(p -> !p.isEmpty())
                .filter(p -> !URLDecoder.decode(p.split("=", 2)[0], StandardCharsets.UTF_8)
                        .toLowerCase(Locale.ROOT).equals("beta"))
                .collect(Collectors.joining("&"));
    }

    private static URI uri(String url, String query) {
        String q = query.startsWith("?") ? query.substring(1) : query;
        String full = q.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + q;
        try {
            return URI.create(full);
        } catch (IllegalArgumentException badQuery) {
            // A client query that is not a valid URI component is not worth failing the request for.
            try {
                return URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("upstream URL is not valid: " + url, e);
            }
        }
    }

    private static IllegalArgumentException unsupported(Route route, String what) {
        return new IllegalArgumentException(route.path() + " cannot be served by " + what);
    }
}
