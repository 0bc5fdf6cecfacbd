package io.proxygate.adapter.in.http.admin;

import io.proxygate.domain.credential.Secret;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use the admin API: whoever presents the admin token (header {@code X-Admin-Token} or
 * {@code Authorization: Bearer}; the dashboard's cookie is a session, see {@link AdminSessions}), compared in
 * constant time. Wrong tokens are counted per client address; past ten in a minute that address's further wrong
 * tokens are answered 429 with a growing backoff, while the right token keeps working.
 */
public final class AdminAuth {
    public static final String COOKIE = "proxygate_admin";
    public static final String HEADER = "X-Admin-Token";
    static final int DEFAULT_FAILURES_PER_MINUTE = 10;

    /** The outcome of a check. */
    public sealed interface Verdict {
        record Allowed() implements Verdict {
        }

        /** No admin token is configured: the admin API is closed. */
        record NotConfigured() implements Verdict {
        }

        /** Nothing presented, or a wrong token (then counted as a failure). */
        record Denied() implements Verdict {
        }

        /** A wrong token from an address with too many recent failures. */
        record Throttled(Duration retryAfter) implements Verdict {
        }
    }

    private final Optional<Secret> token;
    private final FailedAttemptLimiter limiter;
    /** The key of {@link #proveIdentity}: a random secret of its own, kept beside the admin token (0600). */
    private final Optional<Secret> identityKey;

    public AdminAuth(Optional<Secret> token, InstantSource clock) {
        this(token, Optional.empty(), clock);
    }

    public AdminAuth(Optional<Secret> token, Optional<Secret> identityKey, InstantSource clock) {
        this(token, identityKey, DEFAULT_FAILURES_PER_MINUTE, Duration.ofMinutes(1), clock);
    }

    public AdminAuth(Optional<Secret> token, int failuresAllowed, Duration window, InstantSource clock) {
        this(token, Optional.empty(), failuresAllowed, window, clock);
    }

    private AdminAuth(Optional<Secret> token, Optional<Secret> identityKey, int failuresAllowed, Duration window,
                      InstantSource clock) {
        this.token = Objects.requireNonNull(token, "token");
        this.identityKey = Objects.requireNonNull(identityKey, "identityKey");
        this.limiter = new FailedAttemptLimiter(failuresAllowed, window, clock);
    }

    /** Checks the first presented token among {@code candidates} (header, bearer, cookie: first non-blank wins). */
    public Verdict check(String clientAddress, String... candidates) {
        if (token.isEmpty()) {
            return new Verdict.NotConfigured();
        }
        String presented = null;
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                presented = c.trim();
                break;
            }
        }
        if (presented == null) {
            return new Verdict.Denied();
        }
        // The right token is checked before the throttle: wrong guesses from a shared address (every local user
        // is 127.0.0.1) must never lock the owner out.
        if (token.get().matches(presented)) {
            return new Verdict.Allowed();
        }
        Optional<Duration> backoff = limiter.failed(clientAddress);
        return backoff.<Verdict>map(Verdict.Throttled::new).orElseGet(Verdict.Denied::new);
    }

    /** The configured token. */
    Optional<Secret> token() {
        return token;
    }

    /**
     * This server's answer to an identity challenge on the connector at {@code localPort} (see
     * {@link #identityProof}); empty without an identity key, or for a challenge that is not what a CLI sends.
     */
    public Optional<String> proveIdentity(String challenge, int localPort) {
        if (identityKey.isEmpty() || challenge == null || !CHALLENGE.matcher(challenge).matches()) {
            return Optional.empty();
        }
        return Optional.of(identityProof(identityKey.get().reveal(), localPort, challenge));
    }

    /** What a challenge looks like: 32 to 128 hex digits, so the proof is never computed over arbitrary text. */
    private static final java.util.regex.Pattern CHALLENGE = java.util.regex.Pattern.compile("[0-9a-f]{32,128}");

    /**
     * Proof that whoever answers holds this data directory's identity key and listens on {@code port}, without
     * sending the key: HMAC-SHA256 keyed by it over a fixed label, the port and the caller's fresh random challenge,
     * in hex. The CLI asks for it before it sends the admin token to a listener, because any local user can bind the
     * configured port while the server is down and would otherwise be handed the token. The key is random and used
     * for nothing else, so an answer helps no one guess the admin token; the port in it means a listener cannot pass
     * on the challenge to a server elsewhere and replay that one's answer.
     */
    public static String identityProof(String identityKey, int port, String challenge) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(
                    identityKey.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] proof = mac.doFinal(("proxy-gate admin identity\n" + port + "\n" + challenge)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(proof);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
