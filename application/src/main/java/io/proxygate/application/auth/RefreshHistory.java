package io.proxygate.application.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * What became of an account's token refreshes: the last success, the last failure and how many failed in a row
 * since that success. Shown by the admin API so that "why is this account dead" has an answer.
 *
 * @param lastRefreshAt when the tokens were last renewed
 * @param lastErrorAt   when a refresh last failed
 * @param lastError     why it failed (the provider's answer, never a token)
 * @param failures      failed refreshes since the last success
 */
public record RefreshHistory(Optional<Instant> lastRefreshAt, Optional<Instant> lastErrorAt,
                             Optional<String> lastError, int failures) {
    public static final RefreshHistory NONE = new RefreshHistory(Optional.empty(), Optional.empty(),
            Optional.empty(), 0);

    public RefreshHistory {
        lastRefreshAt = lastRefreshAt == null ? Optional.empty() : lastRefreshAt;
        lastErrorAt = lastErrorAt == null ? Optional.empty() : lastErrorAt;
        lastError = lastError == null ? Optional.empty() : lastError;
        if (failures < 0) {
            throw new IllegalArgumentException("failures must not be negative");
        }
    }

    /** A success resets the streak; the last error stays visible, older than the success that followed it. */
    public RefreshHistory succeeded(Instant at) {
        return new RefreshHistory(Optional.of(at), lastErrorAt, lastError, 0);
    }

    public RefreshHistory failed(Instant at, String error) {
        return new RefreshHistory(lastRefreshAt, Optional.of(at), Optional.ofNullable(error), failures + 1);
    }
}
