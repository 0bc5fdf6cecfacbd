package io.proxygate.application.clientkey;

import io.proxygate.application.port.out.ClientKeyStorePort;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.http.Route;
import io.proxygate.application.usage.CostEstimator;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.clientkey.ClientKey;
import io.proxygate.domain.clientkey.ClientKeyRules;
import io.proxygate.domain.usage.TokenUsage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client keys: who may call the proxy routes, within which rules, and what each has spent.
 *
 * <p>Keys are read from the store on every {@link #sync()} (the CLI and other instances write there). Spend is
 * counted per local day and calendar month: loaded from the request log, then kept current from the rows this
 * instance writes; on a shared database {@link #sync()} reloads it so every instance sees the others' spend. A
 * request reserves its estimated prompt cost while it runs, so parallel requests see each other before their rows
 * exist, and cannot overshoot a budget by more than one request each.
 */
public final class ClientKeyService {
    /** Principal of a request that presented the proxy token (or a pooled Claude token): no limits. */
    public static final String OWNER = "owner";
    /** Principal of a request on a server with neither a proxy token nor client keys. */
    public static final String OPEN = "open";
    public static final String SECRET_PREFIX = "pgk_";
    private static final int SECRET_BYTES = 24; // 192 bits
    private static final int SHOWN_PREFIX = 12;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final ClientKeyStorePort store;
    private final CostEstimator costs;
    private final InstantSource clock;
    private final ZoneId zone;
    private final SecureRandom random;
    private final boolean sharedSpend;
    private final ConcurrentHashMap<String, Ledger> ledgers = new ConcurrentHashMap<>();
    private volatile Map<String, ClientKey> byHash = Map.of();
    private volatile Map<String, ClientKey> byId = Map.of();
    private volatile LocalDate spendDay;

    /** @param sharedSpend whether other instances write to the same request log (reload spend on every sync) */
    public ClientKeyService(ClientKeyStorePort store, CostEstimator costs, InstantSource clock, ZoneId zone,
                            SecureRandom random, boolean sharedSpend) {
        this.store = store;
        this.costs = costs;
        this.clock = clock;
        this.zone = zone;
        this.random = random;
        this.sharedSpend = sharedSpend;
        reloadKeys();
    }

    /** Takes in keys, rule changes and revocations from the store (and, when shared, everyone's spend). */
    public void sync() {
        reloadKeys();
        if (sharedSpend) {
            reloadSpend(clock.instant());
        }
    }

    private synchronized void reloadKeys() {
        Map<String, ClientKey> hashes = new ConcurrentHashMap<>();
        Map<String, ClientKey> ids = new ConcurrentHashMap<>();
        for (ClientKey k : store.all()) {
            hashes.put(k.secretHash(), k);
            ids.put(k.id(), k);
        }
        byHash = hashes;
        byId = ids;
    }

    /** Whether any client key exists: from then on every proxy route needs a key or the proxy token. */
    public boolean any() {
        return !byId.isEmpty();
    }

    /** Whether a presented token looks like a client key (worth {@link #authenticate}). */
    public static boolean looksLikeKey(String token) {
        return token != null && token.startsWith(SECRET_PREFIX);
    }

    /**
     * The key behind {@code token}.
     *
     * @throws ProxyFailure 401 for an unknown, revoked or expired key
     */
    public ClientKey authenticate(String token) {
        ClientKey key = byHash.get(hash(token));
        if (key == null) {
            throw new ProxyFailure(401, "authentication_error", "invalid client key");
        }
        if (key.revoked()) {
            throw new ProxyFailure(401, "authentication_error", "client key '" + key.name() + "' was revoked");
        }
        if (key.rules().expired(clock.instant())) {
            throw new ProxyFailure(401, "authentication_error", "client key '" + key.name() + "' has expired");
        }
        return key;
    }

    /** A request admitted under a key: close it when the request has ended, to free its slot and reservation. */
    public interface Ticket extends AutoCloseable {
        Ticket NONE = () -> { };

        @Override
        void close();
    }

    /**
     * Checks {@code principal}'s rules for one request and takes its slot, rate and budget reservation.
     *
     * @param model the request's model; on the passthrough route null for the ChatGPT site's pages, and the body's
     *              model ("" when it names none) for the Codex model API under it
     * @throws ProxyFailure 403 for a route or model outside the rules; 429 with Retry-After for a budget, rpm or
     *                      max_concurrent limit; 401 when the key has just been revoked
     */
    public Ticket admit(String principal, Route route, String model, long bodyBytes) {
        ClientKey key = byId.get(principal);
        if (key == null) {
            return Ticket.NONE; // owner or open
        }
        if (key.revoked()) {
            throw new ProxyFailure(401, "authentication_error", "client key '" + key.name() + "' was revoked");
        }
        ClientKeyRules rules = key.rules();
        String family = family(route);
        if (family != null && !rules.allowsRoute(family)) {
            throw new ProxyFailure(403, "permission_error", "client key '" + key.name() + "' may not use the "
                    + family + " route");
        }
        // A passthrough call names a model only when it is the Codex model API; the site's other pages have none.
        boolean modelCall = family != null && (!family.equals(ClientKeyRules.PASSTHROUGH) || model != null);
        if (modelCall && !rules.allowsModel(model)) {
            throw new ProxyFailure(403, "permission_error", "model '" + (model == null ? "" : model)
                    + "' is not allowed for client key '" + key.name() + "' (allowed: "
                    + String.join(", ", rules.models()) + ")");
        }
        if (route == Route.MODELS || route == Route.MESSAGES_COUNT_TOKENS) {
            // The model list and token counting cost nothing: no budget, rate or slot to take, even over budget.
            return Ticket.NONE;
        }
        Instant now = clock.instant();
        rollOver(now);
        BigDecimal reserve = modelCall ? estimate(model, bodyBytes) : BigDecimal.ZERO;
        Ledger ledger = ledger(key.id());
        synchronized (ledger) {
            Optional<BigDecimal> daily = rules.dailyBudgetUsd();
            if (daily.isPresent() && ledger.day.add(ledger.reserved).compareTo(daily.get()) >= 0) {
                throw budget(key, "daily", ledger.day, ledger.reserved, daily.get(),
                        Duration.between(now, LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone)
                                .toInstant()));
            }
            Optional<BigDecimal> monthly = rules.monthlyBudgetUsd();
            if (monthly.isPresent() && ledger.month.add(ledger.reserved).compareTo(monthly.get()) >= 0) {
                throw budget(key, "monthly", ledger.month, ledger.reserved, monthly.get(), Duration.between(now,
                        YearMonth.from(LocalDate.ofInstant(now, zone)).plusMonths(1).atDay(1).atStartOfDay(zone)
                                .toInstant()));
            }
            while (!ledger.recent.isEmpty() && !ledger.recent.peekFirst().plus(MINUTE).isAfter(now)) {
                ledger.recent.pollFirst();
            }
            if (rules.rpm().isPresent() && ledger.recent.size() >= rules.rpm().get()) {
                Duration wait = Duration.between(now, ledger.recent.peekFirst().plus(MINUTE));
                throw new ProxyFailure(429, "rate_limit_error", "client key '" + key.name()
                        + "' reached its limit of " + rules.rpm().get() + " requests per minute",
                        Optional.of(wait));
            }
            if (rules.maxConcurrent().isPresent() && ledger.inFlight >= rules.maxConcurrent().get()) {
                throw new ProxyFailure(429, "rate_limit_error", "client key '" + key.name() + "' already has "
                        + ledger.inFlight + " requests in flight (max_concurrent " + rules.maxConcurrent().get()
                        + ")", Optional.of(Duration.ofSeconds(1)));
            }
            ledger.inFlight++;
            ledger.recent.addLast(now);
            ledger.reserved = ledger.reserved.add(reserve);
        }
        return new Ticket() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (ledger) {
                    if (!closed) {
                        closed = true;
                        ledger.inFlight--;
                        ledger.reserved = ledger.reserved.subtract(reserve);
                    }
                }
            }
        };
    }

    /**
     * The refusal for a budget that is spent, or only taken up by the reservations of requests still running: then
     * it frees as they end, and the client hears so (with a short Retry-After) rather than to wait for the reset.
     */
    private static ProxyFailure budget(ClientKey key, String which, BigDecimal spent, BigDecimal reserved,
                                       BigDecimal budget, Duration untilReset) {
        String of = " of $" + budget.stripTrailingZeros().toPlainString();
        if (spent.compareTo(budget) < 0) {
            return new ProxyFailure(429, "rate_limit_error", "client key '" + key.name() + "' has its " + which
                    + " budget taken up by requests in flight ($" + spent.stripTrailingZeros().toPlainString()
                    + " spent and $" + reserved.stripTrailingZeros().toPlainString() + " reserved" + of
                    + "); retry when they finish", Optional.of(IN_FLIGHT_RETRY));
        }
        return new ProxyFailure(429, "rate_limit_error", "client key '" + key.name() + "' reached its " + which
                + " budget ($" + spent.stripTrailingZeros().toPlainString() + of + "); it resets "
                + (which.equals("daily") ? "at local midnight" : "on the 1st of next month"),
                Optional.of(untilReset));
    }

    /** When a budget held only by running requests' reservations is worth asking again. */
    private static final Duration IN_FLIGHT_RETRY = Duration.ofSeconds(2);

    /** The estimated cost of the prompt alone (about four bytes a token), reserved while the request runs. */
    private BigDecimal estimate(String model, long bodyBytes) {
        if (model == null || model.isBlank()) {
            return BigDecimal.ZERO;
        }
        return costs.foresee(model, new TokenUsage(Math.max(0, bodyBytes / 4), 0, 0, 0, 0)).orElse(BigDecimal.ZERO);
    }

    /** A row was written: its cost settles against its key (the reservation is freed by the ticket). */
    public void recorded(RequestRecord record) {
        String id = record.clientKey();
        if (!byId.containsKey(id) || record.costUsd().isEmpty()) {
            return;
        }
        rollOver(clock.instant());
        LocalDate day = LocalDate.ofInstant(record.startedAt(), zone);
        Ledger ledger = ledger(id);
        synchronized (ledger) {
            BigDecimal cost = record.costUsd().get();
            if (day.equals(spendDay)) {
                ledger.day = ledger.day.add(cost);
            }
            if (YearMonth.from(day).equals(YearMonth.from(spendDay))) {
                ledger.month = ledger.month.add(cost);
            }
        }
    }

    private void rollOver(Instant now) {
        if (!LocalDate.ofInstant(now, zone).equals(spendDay)) {
            reloadSpend(now);
        }
    }

    private synchronized void reloadSpend(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        Instant dayStart = today.atStartOfDay(zone).toInstant();
        Instant monthStart = today.withDayOfMonth(1).atStartOfDay(zone).toInstant();
        Instant end = now.plusSeconds(1);
        Map<String, ClientKeyUsage> day = store.usageBetween(dayStart, end);
        Map<String, ClientKeyUsage> month = store.usageBetween(monthStart, end);
        for (String id : byId.keySet()) {
            Ledger ledger = ledger(id);
            synchronized (ledger) {
                ledger.day = day.getOrDefault(id, ClientKeyUsage.NONE).costUsd();
                ledger.month = month.getOrDefault(id, ClientKeyUsage.NONE).costUsd();
            }
        }
        spendDay = today;
    }

    private Ledger ledger(String id) {
        return ledgers.computeIfAbsent(id, k -> new Ledger());
    }

    /** The route family a client key's {@code routes} rule names; null for the model list, always allowed. */
    static String family(Route route) {
        return switch (route) {
            case MESSAGES, MESSAGES_COUNT_TOKENS -> "messages";
            case RESPONSES, RESPONSES_COMPACT -> "responses";
            case CHAT_COMPLETIONS -> "chat";
            case PASSTHROUGH -> ClientKeyRules.PASSTHROUGH;
            case MODELS -> null;
        };
    }

    // ---- administration ----

    public CreatedClientKey create(String name, ClientKeyRules rules) {
        String clean = validName(name);
        reloadKeys();
        if (byId.values().stream().anyMatch(k -> k.name().equals(clean) && !k.revoked())) {
            throw new IllegalArgumentException("an active client key named '" + clean + "' exists already");
        }
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        ClientKey key = new ClientKey("ck_" + HexFormat.of().formatHex(idBytes), clean,
                secret.substring(0, SHOWN_PREFIX), hash(secret), rules, clock.instant(), Optional.empty());
        store.insert(key);
        reloadKeys();
        return new CreatedClientKey(key, secret);
    }

    /**
     * A key's name, stripped: 1 to 100 characters, none of them a control character. Names are printed in logs,
     * the CLI's tables, the dashboard and the errors clients read, where a newline forges a line and terminal escape
     * or bidirectional-text controls make a name show as another.
     */
    static String validName(String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 100) {
            throw new IllegalArgumentException("name is required (at most 100 characters)");
        }
        if (clean.codePoints().anyMatch(ClientKeyService::isControl)) {
            throw new IllegalArgumentException("name must not contain control characters");
        }
        return clean;
    }

    private static boolean isControl(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 // line and paragraph separators
                || c == 0x061C || c == 0x200E || c == 0x200F // bidirectional marks
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); // embeddings, overrides, isolates
    }

    /** A key by id, or else by name (the newest with that name). */
    public ClientKey find(String idOrName) {
        reloadKeys();
        ClientKey byIdMatch = byId.get(idOrName);
        if (byIdMatch != null) {
            return byIdMatch;
        }
        return byId.values().stream().filter(k -> k.name().equals(idOrName))
                .max(java.util.Comparator.comparing((ClientKey k) -> !k.revoked()).thenComparing(ClientKey::createdAt))
                .orElseThrow(() -> new NoSuchElementException("no client key " + idOrName));
    }

    public ClientKey update(String id, Optional<String> name, ClientKeyRules rules) {
        ClientKey key = find(id);
        ClientKey changed = key.withRules(rules);
        if (name.isPresent() && !name.get().isBlank()) {
            changed = changed.withName(validName(name.get()));
        }
        store.update(changed);
        reloadKeys();
        return changed;
    }

    public ClientKey revoke(String id) {
        ClientKey key = find(id);
        if (key.revoked()) {
            return key;
        }
        ClientKey revoked = key.revokedAt(clock.instant());
        store.update(revoked);
        reloadKeys();
        return revoked;
    }

    /** @throws IllegalStateException unless the key was revoked first */
    public void delete(String id) {
        ClientKey key = find(id);
        if (!key.revoked()) {
            throw new IllegalStateException("revoke client key '" + key.name() + "' before deleting it");
        }
        store.delete(key.id());
        ledgers.remove(key.id());
        reloadKeys();
    }

    public List<ClientKeyView> list() {
        reloadKeys();
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        Instant end = now.plusSeconds(1);
        Map<String, ClientKeyUsage> day = store.usageBetween(today.atStartOfDay(zone).toInstant(), end);
        Map<String, ClientKeyUsage> month = store.usageBetween(today.withDayOfMonth(1).atStartOfDay(zone)
                .toInstant(), end);
        Map<String, Instant> lastUsed = store.lastUsed();
        List<ClientKeyView> views = new ArrayList<>();
        for (ClientKey k : byId.values().stream().sorted(java.util.Comparator.comparing(ClientKey::createdAt))
                .toList()) {
            ClientKeyUsage d = day.getOrDefault(k.id(), ClientKeyUsage.NONE);
            ClientKeyUsage m = month.getOrDefault(k.id(), ClientKeyUsage.NONE);
            views.add(new ClientKeyView(k, Optional.ofNullable(lastUsed.get(k.id())), d, m, state(k, d, m, now)));
        }
        return views;
    }

    static String state(ClientKey k, ClientKeyUsage day, ClientKeyUsage month, Instant now) {
        if (k.revoked()) {
            return "revoked";
        }
        if (k.rules().expired(now)) {
            return "expired";
        }
        boolean over = k.rules().dailyBudgetUsd().map(b -> day.costUsd().compareTo(b) >= 0).orElse(false)
                || k.rules().monthlyBudgetUsd().map(b -> month.costUsd().compareTo(b) >= 0).orElse(false);
        return over ? "over_budget" : "active";
    }

    /**
     * An expiry as the CLI and admin API take it: a duration from now ({@code 30d}, {@code 12h}, {@code 90m}), a
     * local date ({@code 2026-12-31}, the end of that day is not included: the key expires at its start) or an
     * RFC 3339 instant.
     */
    public static Instant expiry(String text, Instant now, ZoneId zone) {
        String t = text.strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})([dhm])").matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return now.plus(switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            });
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (java.time.format.DateTimeParseException notADate) {
            try {
                return java.time.OffsetDateTime.parse(t).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("expires must be like 30d, 12h, 2026-12-31 or an RFC 3339 time: "
                        + t);
            }
        }
    }

    /** SHA-256 of the secret, lowercase hex: enough for a 192-bit random secret. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One key's running counters on this instance. Guarded by its own monitor. */
    private static final class Ledger {
        BigDecimal day = BigDecimal.ZERO;
        BigDecimal month = BigDecimal.ZERO;
        BigDecimal reserved = BigDecimal.ZERO;
        int inFlight;
        final ArrayDeque<Instant> recent = new ArrayDeque<>();
    }
}
