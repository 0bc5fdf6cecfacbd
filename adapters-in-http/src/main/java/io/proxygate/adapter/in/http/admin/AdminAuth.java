package io.proxygate.adapter.in.http.admin;

import io.proxygate.domain.credential.Secret;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use the admin API: whoever presents the admin token (header {@code X-Admin-Token} or
 * {@code Authorization: Bearer}; the dashboard's cookie is a session, see {@link AdminSessions}), compared in
 * constant time. Wrong tokens are counted per
 * client address; too many in a minute and that address is refused for a while.
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

        /** Too many failures from this address. */
        record Throttled(Duration retryAfter) implements Verdict {
        }
    }

    private final Optional<Secret> token;
    private final FailedAttemptLimiter limiter;

    public AdminAuth(Optional<Secret> token, InstantSource clock) {
        this(token, DEFAULT_FAILURES_PER_MINUTE, Duration.ofMinutes(1), clock);
    }

    public AdminAuth(Optional<Secret> token, int failuresAllowed, Duration window, InstantSource clock) {
        this.token = Objects.requireNonNull(token, "token");
        this.limiter = new FailedAttemptLimiter(failuresAllowed, window, clock);
    }

    /** Checks the first presented token among {@code candidates} (header, bearer, cookie: first non-blank wins). */
    public Verdict check(String clientAddress, String... candidates) {
        if (token.isEmpty()) {
            return new Verdict.NotConfigured();
        }
        Optional<Duration> blocked = limiter.blockedFor(clientAddress);
        if (blocked.isPresent()) {
            return new Verdict.Throttled(blocked.get());
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
        if (token.get().matches(presented)) {
            return new Verdict.Allowed();
        }
        limiter.failed(clientAddress);
        return new Verdict.Denied();
    }

    /** The configured token. */
    Optional<Secret> token() {
        return token;
    }
}
