package io.proxygate.adapter.out.upstream.usage;

import io.proxygate.adapter.out.upstream.proxy.ProxiedClients;
import io.proxygate.adapter.out.upstream.proxy.ProxySelection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.adapter.out.upstream.fetch.BoundedGet;
import io.proxygate.application.port.out.UsagePollException;
import io.proxygate.application.port.out.UsagePollPort;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.routing.UsageWindow;
import io.proxygate.domain.routing.UsageWindows;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads subscription usage windows over HTTP: ChatGPT's {@code wham/usage} (Bearer + {@code ChatGPT-Account-Id})
 * and Claude's {@code api/oauth/usage} (Bearer + {@code anthropic-beta: oauth-2025-04-20}), 20 s and 1 MiB at
 * most each. ChatGPT windows are classified by their length ({@code limit_window_seconds}: up to a day is the
 * short window, longer is the weekly one), not by slot, because some plans have a weekly-only primary window.
 */
public final class HttpUsagePollClient implements UsagePollPort, AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    static final long MAX_BYTES = 1024 * 1024;
    private static final Duration SHORT_WINDOW_MAX = Duration.ofDays(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UsageEndpoints endpoints;
    private final InstantSource clock;
    private final BoundedGet http;
    private final boolean ownsHttp;
    private final Duration timeout;
    /** Clients per outbound proxy when polls follow each account's proxy; null when {@link #http} carries all. */
    private final ProxiedClients proxied;
    private final ProxySelection proxies;

    /** A client with its own HTTP connection pool and the 20 s timeout. */
    public HttpUsagePollClient(UsageEndpoints endpoints, InstantSource clock) {
        this(endpoints, clock, null, DEFAULT_TIMEOUT);
    }

    /** @param http the HTTP client to use, {@code null} to own one */
    public HttpUsagePollClient(UsageEndpoints endpoints, InstantSource clock, BoundedGet http, Duration timeout) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.ownsHttp = http == null;
        this.http = http != null ? http : new BoundedGet();
        this.proxied = null;
        this.proxies = ProxySelection.DIRECT;
    }

    /** Polls each account through its own outbound proxy (one client per distinct proxy), with the 20 s timeout. */
    public HttpUsagePollClient(UsageEndpoints endpoints, InstantSource clock, ProxySelection proxies) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = DEFAULT_TIMEOUT;
        this.proxies = Objects.requireNonNull(proxies, "proxies");
        this.proxied = new ProxiedClients(proxy -> BoundedGet.newClient(Duration.ofSeconds(10), proxy));
        this.http = null;
        this.ownsHttp = false;
    }

    @Override
    public boolean supports(Credential credential) {
        return credential instanceof ChatGptAccount || credential instanceof ClaudeAccount;
    }

    @Override
    public UsageWindows fetch(Credential account) throws UsagePollException {
        return switch (account) {
            case ChatGptAccount a -> {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Authorization", "Bearer " + a.tokens().accessToken().reveal());
                if (!a.accountId().isBlank()) {
                    headers.put("ChatGPT-Account-Id", a.accountId());
                }
                headers.put("Accept", "application/json");
                yield parseWham(get(a, endpoints.chatgptUsage(), headers), clock.instant());
            }
            case ClaudeAccount a -> {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Authorization", "Bearer " + a.tokens().accessToken().reveal());
                headers.put("anthropic-beta", "oauth-2025-04-20");
                headers.put("anthropic-version", "2023-06-01");
                headers.put("Accept", "application/json");
                JsonNode root = get(a, endpoints.claudeUsage(), headers);
                Instant now = clock.instant();
                spentFamilies(root).forEach((family, until) -> modelWindows.spent(a.id(), family, until));
                yield parseClaude(root, now);
            }
            case ApiKey k -> throw new UsagePollException("API keys have no usage windows", 0);
        };
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
        if (proxied != null) {
            proxied.close();
        }
    }

    private JsonNode get(Credential account, URI uri, Map<String, String> headers) throws UsagePollException {
        BoundedGet.Reply reply;
        try {
            BoundedGet via = proxied == null ? http
                    : new BoundedGet(proxied.get(proxies.select(Optional.of(account.id()), uri)));
            reply = via.get(uri, headers, timeout, MAX_BYTES);
        } catch (IOException e) {
            throw new UsagePollException(e.getMessage(), e);
        }
        if (reply.status() != 200) {
            throw new UsagePollException("HTTP " + reply.status() + errorDetail(reply.body()), reply.status());
        }
        try {
            JsonNode root = JSON.readTree(reply.body());
            if (root == null || !root.isObject()) {
                throw new UsagePollException("usage answer is not a JSON object", 0);
            }
            return root;
        } catch (IOException e) {
            throw new UsagePollException("usage answer is not JSON", e);
        }
    }

    /** ChatGPT's {@code wham/usage} answer. */
    static UsageWindows parseWham(JsonNode root, Instant now) {
        JsonNode limits = root.path("rate_limit");
        Optional<UsageWindow> fiveHour = Optional.empty();
        Optional<UsageWindow> weekly = Optional.empty();
        // A window without limit_window_seconds is taken to be what its slot usually holds.
        List<Optional<UsageWindow>> windows = List.of(
                whamWindow(limits.get("primary_window"), UsageWindow.FIVE_HOURS, now),
                whamWindow(limits.get("secondary_window"), UsageWindow.WEEK, now));
        for (Optional<UsageWindow> window : windows) {
            if (window.isEmpty()) {
                continue;
            }
            if (window.get().length().compareTo(SHORT_WINDOW_MAX) <= 0) {
                fiveHour = moreUsed(fiveHour, window.get());
            } else {
                weekly = moreUsed(weekly, window.get());
            }
        }
        boolean limitReached = limits.path("limit_reached").asBoolean(false)
                || (limits.has("allowed") && !limits.path("allowed").asBoolean(true));
        return new UsageWindows(fiveHour, weekly, limitReached, now);
    }

    /**
     * Receives the model families whose own usage window is spent (Claude's {@code seven_day_opus},
     * {@code seven_day_sonnet}): routing cools that family only until the window resets.
     */
    @FunctionalInterface
    public interface ModelWindows {
        ModelWindows IGNORE = (account, family, until) -> { };

        void spent(io.proxygate.domain.credential.CredentialId account, String family, Optional<Instant> until);
    }

    private volatile ModelWindows modelWindows = ModelWindows.IGNORE;

    /** Where spent per-model windows are reported (see {@link ModelWindows}). */
    public HttpUsagePollClient reportModelWindows(ModelWindows listener) {
        this.modelWindows = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Family windows at or over 100 %: {@code seven_day_<family>} and {@code five_hour_<family>} objects. */
    static Map<String, Optional<Instant>> spentFamilies(JsonNode root) {
        Map<String, Optional<Instant>> out = new LinkedHashMap<>();
        if (root == null || !root.isObject()) {
            return out;
        }
        root.fieldNames().forEachRemaining(name -> {
            for (String prefix : new String[] {"seven_day_", "five_hour_"}) {
                if (name.startsWith(prefix) && name.length() > prefix.length()) {
                    String family = name.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT);
                    if (!family.matches("opus|sonnet|haiku")) {
                        continue;
                    }
                    JsonNode w = root.get(name);
                    if (w != null && w.isObject() && w.path("utilization").isNumber()
                            && fraction(w.get("utilization")) >= 1.0) {
                        out.merge(family, instant(w.get("resets_at")), (a, b) -> a.isPresent() && b.isPresent()
                                && b.get().isAfter(a.get()) ? b : a.isPresent() ? a : b);
                    }
                }
            }
        });
        return out;
    }

    /** Claude's {@code api/oauth/usage} answer. */
    static UsageWindows parseClaude(JsonNode root, Instant now) {
        Optional<UsageWindow> fiveHour = claudeWindow(root.get("five_hour"), UsageWindow.FIVE_HOURS);
        Optional<UsageWindow> weekly = claudeWindow(root.get("seven_day"), UsageWindow.WEEK);
        boolean limitReached = fiveHour.map(w -> w.usedFraction() >= 1.0).orElse(false)
                || weekly.map(w -> w.usedFraction() >= 1.0).orElse(false);
        return new UsageWindows(fiveHour, weekly, limitReached, now);
    }

    private static Optional<UsageWindow> whamWindow(JsonNode w, Duration slotLength, Instant now) {
        if (w == null || !w.isObject()) {
            return Optional.empty();
        }
        long seconds = w.path("limit_window_seconds").asLong(0);
        Duration length = seconds > 0 ? Duration.ofSeconds(seconds) : slotLength;
        Optional<Instant> resetsAt = Optional.empty();
        long resetAt = w.path("reset_at").asLong(0);
        long resetAfter = w.path("reset_after_seconds").asLong(0);
        if (resetAt > 0) {
            resetsAt = Optional.of(Instant.ofEpochSecond(resetAt));
        } else if (resetAfter > 0) {
            resetsAt = Optional.of(now.plusSeconds(resetAfter));
        }
        return Optional.of(new UsageWindow(fraction(w.path("used_percent")), resetsAt, length));
    }

    private static Optional<UsageWindow> claudeWindow(JsonNode w, Duration length) {
        if (w == null || !w.isObject() || !w.path("utilization").isNumber()) {
            return Optional.empty();
        }
        return Optional.of(new UsageWindow(fraction(w.get("utilization")), instant(w.get("resets_at")), length));
    }

    /** A 0–100 percentage as a fraction (never negative, may exceed 1 when spent). */
    private static double fraction(JsonNode percent) {
        double value = percent.asDouble(0) / 100.0;
        return Double.isNaN(value) || value < 0 ? 0 : value;
    }

    /** RFC 3339 text, or epoch seconds / milliseconds as a number. */
    private static Optional<Instant> instant(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            long n = value.asLong();
            return n <= 0 ? Optional.empty()
                    : Optional.of(n > 1_000_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n));
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<UsageWindow> moreUsed(Optional<UsageWindow> current, UsageWindow candidate) {
        return current.filter(c -> c.usedFraction() >= candidate.usedFraction()).or(() -> Optional.of(candidate));
    }

    /** The upstream's own error message, when its body has one, for the poll status; never the whole body. */
    private static String errorDetail(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null) {
                return "";
            }
            JsonNode error = root.path("error");
            String message = error.isTextual() ? error.asText()
                    : error.path("message").asText(root.path("detail").asText(""));
            message = message.replaceAll("\\s+", " ").trim();
            if (message.isEmpty()) {
                return "";
            }
            return ": " + (message.length() > 160 ? message.substring(0, 160) + "…" : message);
        } catch (IOException e) {
            return "";
        }
    }
}
