package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.CredentialKind;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one attempt into the request its upstream expects. The client's request goes on as it was sent: its headers
 * in its order (all but hop-by-hop, credential and internal ones: {@link ForwardedHeaders}), its query string, and its
 * body bytes, compressed ones included when the upstream accepts the client's Content-Encoding. What changes is the
 * credential, and only the rewrites an upstream requires, each named in the README's "What reaches the upstream":
 * the ChatGPT backend's body rules ({@link CodexBodyRewriter}), {@code oauth-2025-04-20} appended to
 * {@code anthropic-beta} on Claude OAuth, {@code Accept-Encoding: identity} (the relay reads every reply for usage),
 * and, only when an operator turns it on, the Claude Code mimicry.
 */
final class RequestShaper {
    static final String ANTHROPIC_VERSION = "2023-06-01";
    static final String OAUTH_BETA = "oauth-2025-04-20";
    static final String EVENT_STREAM = "text/event-stream";
    static final String JSON = "application/json";

    /**
     * Request Content-Encodings each upstream takes as the client sent them. The Codex CLI sends zstd bodies to the
     * ChatGPT backend; no other upstream documents compressed request bodies, so they get the decoded body.
     */
    private static final Set<String> CHATGPT_ENCODINGS = Set.of("zstd");
    private static final Set<String> DECODED_ONLY = Set.of();
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

    /** Codex names itself in {@code originator} and its User-Agent ({@code codex_cli_rs}, {@code codex_exec}). */
    static boolean isCodex(Headers client) {
        return client.first("originator").map(RequestShaper::codexName).orElse(false)
                || client.first("user-agent").map(RequestShaper::codexName).orElse(false);
    }

    private static boolean codexName(String value) {
        return value.trim().toLowerCase(Locale.ROOT).startsWith("codex_");
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
        ForwardedHeaders headers = ForwardedHeaders.of(r.clientHeaders()).credential(chatgptCredential(account));
        if (r.route() == Route.RESPONSES) {
            // The backend only streams (the body says stream:true); a non-streaming client's JSON is assembled here.
            headers.set("Accept", EVENT_STREAM);
        } else {
            headers.setIfAbsent("Accept", JSON);
        }
        headers.set("Accept-Encoding", "identity");
        if (r.route() == Route.MODELS) {
            return new PreparedRequest("GET", uri(url, r.query()), headers.remove("Content-Encoding").list(),
                    Optional.empty(), false);
        }
        byte[] body = wireBody(r, CodexBodyRewriter.rewrite(r.body(), r.route() == Route.RESPONSES_COMPACT,
                !isCodex(r.clientHeaders())), CHATGPT_ENCODINGS, headers);
        return new PreparedRequest("POST", uri(url, r.query()), headers.list(), Optional.of(body),
                r.route() == Route.RESPONSES && !r.clientWantsStream());
    }

    /**
     * ChatGPT web/backend paths (the passthrough route): same method, path and query on the ChatGPT host, the
     * account's bearer and id, the client's other headers.
     */
    private PreparedRequest chatgptPassthrough(UpstreamRequest r, ChatGptAccount account) {
        URI models = URI.create(settings.chatgptModelsUrl());
        String origin = models.getScheme() + "://" + models.getRawAuthority();
        ForwardedHeaders headers = ForwardedHeaders.of(r.clientHeaders()).credential(chatgptCredential(account));
        headers.set("Accept-Encoding", "identity");
        boolean hasBody = r.body().length > 0 && !r.method().equals("GET") && !r.method().equals("HEAD");
        Optional<byte[]> body = hasBody ? Optional.of(wireBody(r, r.body(), CHATGPT_ENCODINGS, headers))
                : Optional.empty();
        if (!hasBody) {
            headers.remove("Content-Encoding");
        }
        return new PreparedRequest(r.method(), uri(origin + r.path(), r.query()), headers.list(), body, false);
    }

    private static List<Header> chatgptCredential(ChatGptAccount account) {
        List<Header> credential = new ArrayList<>(2);
        credential.add(new BasicHeader("Authorization", "Bearer " + account.tokens().accessToken().reveal()));
        if (!account.accountId().isBlank()) {
            credential.add(new BasicHeader("ChatGPT-Account-Id", account.accountId()));
        }
        return credential;
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
        ForwardedHeaders headers = ForwardedHeaders.of(r.clientHeaders())
                .credential(List.of(new BasicHeader("Authorization", "Bearer " + key.key().reveal())));
        headers.set("Accept-Encoding", "identity");
        if (r.route() == Route.MODELS) {
            return new PreparedRequest("GET", uri(url, r.query()), headers.remove("Content-Encoding").list(),
                    Optional.empty(), false);
        }
        if (r.route() == Route.CHAT_COMPLETIONS && r.clientWantsStream() && keyBase.isEmpty()) {
            // Token counts come in a Chat stream only when asked for: ask, so the request can be priced. Only
            // OpenAI's own API: a compatible server behind a key's base_url may refuse a field it does not know.
            byte[] asking = ChatUsageRewriter.askForUsage(r.body());
            if (asking != r.body()) {
                byte[] body = wireBody(r, asking, DECODED_ONLY, headers);
                return new PreparedRequest("POST", uri(url, r.query()), headers.list(), Optional.of(body), false,
                        true);
            }
        }
        byte[] body = wireBody(r, r.body(), DECODED_ONLY, headers);
        return new PreparedRequest("POST", uri(url, r.query()), headers.list(), Optional.of(body), false);
    }

    private PreparedRequest claudeAccount(UpstreamRequest r, ClaudeAccount account) {
        String url = anthropicUrl(r.route(), Optional.empty());
        boolean mimic = settings.claudeCodeMimicry() && !ClaudeCodeMimicry.isClaudeCode(r.clientHeaders(), r.body());
        ForwardedHeaders headers = ForwardedHeaders.of(r.clientHeaders()).credential(List.of(
                new BasicHeader("Authorization", "Bearer " + account.tokens().accessToken().reveal())));
        headers.setIfAbsent("anthropic-version", ANTHROPIC_VERSION);
        headers.appendToken("anthropic-beta", OAUTH_BETA);
        if (mimic) {
            ClaudeCodeMimicry.BETAS.forEach(beta -> headers.appendToken("anthropic-beta", beta));
            // The caller's SDK headers describe the caller; under Claude Code's User-Agent they would contradict it.
            headers.removePrefix(STAINLESS_PREFIX);
            headers.set("User-Agent", settings.claudeCodeUserAgent());
            headers.set("X-App", "cli");
            headers.set("anthropic-dangerous-direct-browser-access", "true");
        }
        headers.set("Accept-Encoding", "identity");
        byte[] body = wireBody(r, mimic ? ClaudeCodeMimicry.withBanner(r.body()) : r.body(), DECODED_ONLY, headers);
        return new PreparedRequest("POST", uri(url, r.query()), headers.list(), Optional.of(body), false);
    }

    private PreparedRequest anthropicKey(UpstreamRequest r, ApiKey key) {
        String url = anthropicUrl(r.route(), key.baseUrl());
        ForwardedHeaders headers = ForwardedHeaders.of(r.clientHeaders())
                .credential(List.of(new BasicHeader("x-api-key", key.key().reveal())));
        headers.setIfAbsent("anthropic-version", ANTHROPIC_VERSION);
        headers.set("Accept-Encoding", "identity");
        byte[] body = wireBody(r, r.body(), DECODED_ONLY, headers);
        return new PreparedRequest("POST", uri(url, r.query()), headers.list(), Optional.of(body), false);
    }

    /**
     * The bytes to send: the client's encoded bytes, with its Content-Encoding, when it sent the body encoded, the
     * upstream takes that encoding and {@code body} is still the client's (no rewrite); otherwise {@code body},
     * decoded, without a Content-Encoding. Never decodes: the decoded copy was made once, on the way in.
     */
    private static byte[] wireBody(UpstreamRequest r, byte[] body, Set<String> accepted, ForwardedHeaders headers) {
        if (body == r.body() && r.encodedBody().isPresent()
                && accepted.contains(r.encodedBody().get().contentEncoding())) {
            return r.encodedBody().get().bytes();
        }
        headers.remove("Content-Encoding");
        return body;
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
