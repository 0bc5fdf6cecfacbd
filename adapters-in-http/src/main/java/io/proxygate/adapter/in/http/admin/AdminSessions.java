package io.proxygate.adapter.in.http.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard sessions, kept on the server: signing in with the admin token yields a random 256-bit session id (the
 * cookie), never the token itself. A session ends at logout, after {@link #LIFETIME}, or when the server restarts
 * (which is the only way the admin token can change, so a changed token never leaves an old session alive); a
 * leaked cookie is therefore worth far less than the token. Only a hash of each id is held.
 */
public final class AdminSessions {
    /** How long a session lasts from sign-in. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** Sign-ins beyond this many live sessions push out the oldest. */
    static final int MAX_SESSIONS = 1_000;

    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> expiries = new ConcurrentHashMap<>();

    public AdminSessions(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new session; returns its id, to be set as the cookie. */
    public String create() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        expiries.entrySet().removeIf(e -> !e.getValue().isAfter(now));
        while (expiries.size() >= MAX_SESSIONS) {
            expiries.entrySet().stream().min(Comparator.comparing(Map.Entry::getValue))
                    .ifPresent(oldest -> expiries.remove(oldest.getKey()));
        }
        expiries.put(hash(id), now.plus(LIFETIME));
        return id;
    }

    /** Whether {@code id} names a live session. */
    public boolean valid(String id) {
        if (id == null || id.isBlank()) {
            return false;
        }
        String key = hash(id.trim());
        Instant expiry = expiries.get(key);
        if (expiry == null) {
            return false;
        }
        if (!expiry.isAfter(clock.instant())) {
            expiries.remove(key);
            return false;
        }
        return true;
    }

    /** Ends one session (logout). */
    public void revoke(String id) {
        if (id != null && !id.isBlank()) {
            expiries.remove(hash(id.trim()));
        }
    }

    /** Ends every session (the admin token changed). */
    public void revokeAll() {
        expiries.clear();
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
