package io.proxygate.adapter.out.persistence.bolt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the Go version of ProxyGate kept in its bbolt database, read into plain values: daily usage aggregates (per
 * credential, and per credential and billing key), lifetime counters per credential, conversation pins and the
 * Claude fallback policy. Values it cannot parse are skipped and counted, never fatal.
 *
 * <p>Buckets: {@code usage} ({@code day:<date>[:acc:<id>|:key:<id>][:bk:<model[@tier]>]}), {@code accounts} and
 * {@code claude_accounts} ({@code stats:<email>}), {@code apikeys} ({@code stats:<id>}), {@code pins}
 * ({@code <key> -> {"email","expires_at"}}) and {@code settings} ({@code claude_fallback_policy}).
 */
public record GoDatabase(List<Daily> daily, List<Lifetime> lifetime, List<Pin> pins, Optional<String> fallbackPolicy,
                         int skipped) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
    private static final java.util.regex.Pattern DAY_TOTAL = java.util.regex.Pattern.compile("day:[0-9-]+");

    /** Who a usage entry counts for: {@code acc:} (ChatGPT, or Claude as {@code claude:<email>}) or {@code key:}. */
    public record Owner(boolean account, String id) {
    }

    /** The counters of one aggregate, as the Go version summed them. */
    public record Counters(long requests, long errors, long unpriced, long inputTokens, long cachedTokens,
                           long outputTokens, BigDecimal cost) {
        static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, BigDecimal.ZERO);

        Counters plus(Counters o) {
            return new Counters(requests + o.requests, errors + o.errors, unpriced + o.unpriced,
                    inputTokens + o.inputTokens, cachedTokens + o.cachedTokens, outputTokens + o.outputTokens,
                    cost.add(o.cost));
        }

        /** What {@code this} has beyond {@code o}, never below zero. */
        Counters minus(Counters o) {
            BigDecimal c = cost.subtract(o.cost);
            return new Counters(Math.max(0, requests - o.requests), Math.max(0, errors - o.errors),
                    Math.max(0, unpriced - o.unpriced), Math.max(0, inputTokens - o.inputTokens),
                    Math.max(0, cachedTokens - o.cachedTokens), Math.max(0, outputTokens - o.outputTokens),
                    c.signum() < 0 ? BigDecimal.ZERO : c);
        }

        boolean isEmpty() {
            return requests == 0 && inputTokens == 0 && cachedTokens == 0 && outputTokens == 0 && cost.signum() == 0;
        }
    }

    /**
     * One day's aggregate for one credential: with a model (and tier) when it is a billing-key aggregate, without
     * when it is the credential's whole day.
     */
    public record Daily(LocalDate date, Owner owner, Optional<String> model, Optional<String> tier,
                        Counters counters) {
    }

    /** Lifetime counters of a credential: successful requests only, as the Go version counted them. */
    public record Lifetime(String bucket, String id, Counters counters) {
    }

    /** A conversation pin: the Go key (a response id or {@code session:<id>}), the ChatGPT account's email. */
    public record Pin(String key, String email, Optional<Instant> expiresAt) {
    }

    /** Reads every bucket the Go version wrote; missing buckets are simply empty. */
    public static GoDatabase read(BoltFile file) throws IOException {
        BoltBucket root = file.root();
        int[] skipped = {0};
        List<Daily> daily = new ArrayList<>();
        Optional<BoltBucket> usage = root.bucket("usage");
        if (usage.isPresent()) {
            for (BoltBucket.Entry e : usage.get().entries()) {
                if (e.bucket() || DAY_TOTAL.matcher(e.keyText()).matches()) {
                    continue; // a whole day's total is the sum of its credentials' entries
                }
                Optional<Daily> d = dailyOf(e);
                if (d.isPresent()) {
                    daily.add(d.get());
                } else {
                    skipped[0]++;
                }
            }
        }
        List<Lifetime> lifetime = new ArrayList<>();
        for (String bucket : List.of("accounts", "claude_accounts", "apikeys")) {
            Optional<BoltBucket> b = root.bucket(bucket);
            if (b.isEmpty()) {
                continue;
            }
            for (BoltBucket.Entry e : b.get().entries()) {
                String key = e.keyText();
                if (e.bucket() || !key.startsWith("stats:") || key.length() == "stats:".length()) {
                    continue;
                }
                Optional<JsonNode> json = json(e.value());
                if (json.isEmpty()) {
                    skipped[0]++;
                    continue;
                }
                JsonNode n = json.get();
                lifetime.add(new Lifetime(bucket, key.substring("stats:".length()), new Counters(
                        n.path("total_requests").asLong(), 0, 0, n.path("total_input_tokens").asLong(), 0,
                        n.path("total_output_tokens").asLong(), decimal(n.path("total_cost")))));
            }
        }
        List<Pin> pins = new ArrayList<>();
        Optional<BoltBucket> pinBucket = root.bucket("pins");
        if (pinBucket.isPresent()) {
            for (BoltBucket.Entry e : pinBucket.get().entries()) {
                Optional<JsonNode> json = e.bucket() ? Optional.empty() : json(e.value());
                String email = json.map(n -> n.path("email").asText("")).orElse("");
                if (email.isBlank() || e.keyText().isBlank()) {
                    skipped[0]++;
                    continue;
                }
                pins.add(new Pin(e.keyText(), email, json.flatMap(n -> time(n.path("expires_at").asText("")))));
            }
        }
        Optional<String> policy = Optional.empty();
        Optional<BoltBucket> settings = root.bucket("settings");
        if (settings.isPresent()) {
            Optional<byte[]> raw = settings.get().get("claude_fallback_policy");
            if (raw.isPresent()) {
                Optional<JsonNode> json = json(raw.get()).filter(JsonNode::isObject);
                if (json.isPresent()) {
                    policy = Optional.of(json.get().toString());
                } else {
                    skipped[0]++;
                }
            }
        }
        return new GoDatabase(List.copyOf(daily), List.copyOf(lifetime), List.copyOf(pins), policy, skipped[0]);
    }

    /** {@code day:<date>:acc:<id>} or {@code day:<date>:key:<id>}, optionally followed by {@code :bk:<billing>}. */
    private static Optional<Daily> dailyOf(BoltBucket.Entry e) {
        String key = e.keyText();
        if (!key.startsWith("day:") || key.length() < 20 || key.charAt(14) != ':') {
            return Optional.empty();
        }
        LocalDate date;
        try {
            date = LocalDate.parse(key.substring(4, 14));
        } catch (DateTimeParseException ex) {
            return Optional.empty();
        }
        String rest = key.substring(15);
        boolean account = rest.startsWith("acc:");
        if (!account && !rest.startsWith("key:")) {
            return Optional.empty();
        }
        rest = rest.substring(4);
        String billing = null;
        int bk = rest.indexOf(":bk:");
        if (bk >= 0) {
            billing = rest.substring(bk + 4);
            rest = rest.substring(0, bk);
        }
        if (rest.isEmpty() || (billing != null && billing.isEmpty())) {
            return Optional.empty();
        }
        Optional<JsonNode> json = json(e.value());
        if (json.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = json.get();
        Optional<String> model = Optional.empty();
        Optional<String> tier = Optional.empty();
        if (billing != null) {
            int at = billing.indexOf('@');
            String m = n.path("model").asText("");
            String t = n.path("service_tier").asText("");
            model = Optional.of(m.isBlank() ? (at >= 0 ? billing.substring(0, at) : billing) : m);
            tier = Optional.of(t.isBlank() && at >= 0 ? billing.substring(at + 1) : t).filter(s -> !s.isBlank());
        }
        Counters c = new Counters(n.path("requests").asLong(), n.path("errors").asLong(), n.path("unpriced").asLong(),
                n.path("input_tokens").asLong(), n.path("cached_tokens").asLong(), n.path("output_tokens").asLong(),
                decimal(n.path("total_cost")));
        return Optional.of(new Daily(date, new Owner(account, rest), model, tier, c));
    }

    private static Optional<JsonNode> json(byte[] raw) {
        try {
            JsonNode n = JSON.readTree(raw);
            return n == null || n.isMissingNode() ? Optional.empty() : Optional.of(n);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isNumber() ? n.decimalValue().max(BigDecimal.ZERO) : BigDecimal.ZERO;
    }

    /** An RFC 3339 time; Go's zero time ({@code 0001-01-01}) means none. */
    private static Optional<Instant> time(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        try {
            Instant t = OffsetDateTime.parse(text).toInstant();
            return t.isBefore(Instant.parse("0002-01-01T00:00:00Z")) ? Optional.empty() : Optional.of(t);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
