package io.proxygate.application.auth;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.port.out.OAuthPort;
import io.proxygate.application.port.out.RefreshLockPort;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.domain.credential.Secret;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

/**
 * Keeps OAuth account tokens usable: refreshes shortly before expiry and after an upstream 401, one refresh per
 * account at a time (concurrent callers share it), and writes the new tokens to the account's file before anyone
 * gets them. Refresh tokens rotate, so a second refresh with the old one would kill the account: that is why the
 * flight is shared and why a caller whose token was already replaced just gets the current credential.
 *
 * <p>Failures are remembered per account: a transient one is not retried before a backoff (doubling up to 10 min);
 * a permanent one (the grant is dead) is reported again without calling the provider until the file gets a new
 * refresh token (a fresh login).
 */
public final class TokenRefreshService implements TokenKeeper {
    public static final Duration DEFAULT_SKEW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(30);
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofMinutes(10);
    /** Assumed lifetime of a refreshed token whose reply says neither expires_in nor exp (short: refreshed soon). */
    private static final Duration FALLBACK_LIFETIME = Duration.ofHours(1);
    /** Longer than a refresh call may take (its HTTP timeout is 30 s), so a waiter normally gets the lock. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(45);
    private static final System.Logger LOG = System.getLogger(TokenRefreshService.class.getName());

    private record Failure(Secret refreshToken, CredentialUnavailable error, int count, Instant retryAt) {
    }

    private final CredentialPool pool;
    private final OAuthPort oauth;
    private final Duration skew;
    private final Duration retryBackoff;
    private final InstantSource clock;
    private final RefreshLockPort locks;
    private final ConcurrentMap<CredentialId, CompletableFuture<Credential>> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentMap<CredentialId, Failure> failures = new ConcurrentHashMap<>();
    private final ConcurrentMap<CredentialId, RefreshHistory> history = new ConcurrentHashMap<>();

    public TokenRefreshService(CredentialPool pool, OAuthPort oauth, Duration skew, InstantSource clock) {
        this(pool, oauth, skew, DEFAULT_RETRY_BACKOFF, clock);
    }

    /** @param retryBackoff the wait after a first transient failure (doubles per further failure, up to 10 min) */
    public TokenRefreshService(CredentialPool pool, OAuthPort oauth, Duration skew, Duration retryBackoff,
                               InstantSource clock) {
        this(pool, oauth, skew, retryBackoff, RefreshLockPort.IN_PROCESS, clock);
    }

    /**
     * @param locks taken around each refresh, so that instances sharing the pool directory spend a rotating refresh
     *              token once; {@link RefreshLockPort#IN_PROCESS} for one instance alone
     */
    public TokenRefreshService(CredentialPool pool, OAuthPort oauth, Duration skew, Duration retryBackoff,
                               RefreshLockPort locks, InstantSource clock) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.oauth = Objects.requireNonNull(oauth, "oauth");
        this.skew = Objects.requireNonNull(skew, "skew");
        this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (skew.isNegative() || !retryBackoff.isPositive()) {
            throw new IllegalArgumentException("skew must not be negative and retryBackoff must be positive");
        }
    }

    /**
     * Returns the pool's current version of the account if its token does not expire within the skew, else
     * refreshes. A transient refresh failure while the token is still valid returns the current credential (the
     * next call tries again after the backoff); once expired, it throws.
     */
    @Override
    public Credential ensureFresh(Credential credential) throws CredentialUnavailable {
        if (credential instanceof ApiKey) {
            return credential;
        }
        Credential current = currentVersion(credential);
        Instant now = clock.instant();
        OAuthTokens tokens = tokensOf(current);
        if (!tokens.expiresWithin(skew, now)) {
            return current;
        }
        try {
            return refresh(current.id(), tokens.accessToken(), false);
        } catch (CredentialUnavailable e) {
            if (!e.permanent() && !tokens.expiresWithin(Duration.ZERO, clock.instant())) {
                return current;
            }
            throw e;
        }
    }

    @Override
    public Credential refreshAfterUnauthorized(Credential rejected) throws CredentialUnavailable {
        if (rejected instanceof ApiKey) {
            throw new CredentialUnavailable("an API key cannot be refreshed", true);
        }
        Credential current = currentVersion(rejected);
        Secret rejectedToken = tokensOf(rejected).accessToken();
        if (!tokensOf(current).accessToken().equals(rejectedToken)) {
            return current; // someone already replaced the token the upstream refused
        }
        return refresh(current.id(), rejectedToken, false);
    }

    /**
     * Refreshes now even if the token is fresh, ignoring the remembered failure and its backoff (the admin's
     * "refresh" button); still single-flight. Returns the credential with its new tokens (already written to its file).
     */
    public Credential refreshNow(Credential credential) throws CredentialUnavailable {
        if (credential instanceof ApiKey) {
            throw new CredentialUnavailable("an API key cannot be refreshed", true);
        }
        Credential current = currentVersion(credential);
        return refresh(current.id(), tokensOf(current).accessToken(), true);
    }

    /**
     * Waits, at most {@code max} in all, for the refreshes under way to end (their tokens saved): for a stopping
     * server, whose refresh threads would otherwise die with it after the provider rotated the refresh token.
     */
    public void awaitRefreshes(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (CompletableFuture<Credential> running : List.copyOf(inFlight.values())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.log(System.Logger.Level.WARNING, "stopping with token refreshes still under way");
                return;
            }
            try {
                running.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // its own outcome was logged where it happened; the wait is all that matters here
            }
        }
    }

    /** This process's record of the account's refreshes (since start); empty when none was tried. */
    public Optional<RefreshHistory> refreshHistory(CredentialId id) {
        return Optional.ofNullable(history.get(id));
    }

    /**
     * One refresh per account at a time, run on a thread of its own that every caller waits on. A caller may give up
     * (its client left and its thread was interrupted), but the refresh goes on: the provider rotates the refresh
     * token as it answers, so a refresh cut off midway would leave the pool holding a spent token, and the account
     * would need a new login.
     */
    private Credential refresh(CredentialId id, Secret staleAccessToken, boolean forced) throws CredentialUnavailable {
        CompletableFuture<Credential> mine = new CompletableFuture<>();
        CompletableFuture<Credential> running = inFlight.putIfAbsent(id, mine);
        if (running != null) {
            return await(running);
        }
        REFRESHERS.newThread(() -> {
            // Out of the table before its callers hear the outcome: a caller that goes on to ask again (the admin's
            // retry after a failure) must start a refresh of its own, not join this finished one.
            Credential result = null;
            Throwable failure = null;
            try {
                result = refreshLocked(id, staleAccessToken, forced);
            } catch (Throwable e) {
                failure = e;
            }
            inFlight.remove(id, mine);
            if (failure == null) {
                mine.complete(result);
            } else {
                mine.completeExceptionally(failure);
            }
        }).start();
        return await(mine);
    }

    private static final java.util.concurrent.ThreadFactory REFRESHERS =
            Thread.ofVirtual().name("token-refresh-", 0).factory();

    /**
     * Runs inside the account's in-process single flight and takes the account's lock shared with other instances.
     * Whoever held that lock before us wrote its new tokens to the shared pool file before letting go, so the pool
     * is re-read first: if the token we found stale was replaced meanwhile, the new one is used, not refreshed again.
     */
    private Credential refreshLocked(CredentialId id, Secret staleAccessToken, boolean forced)
            throws CredentialUnavailable {
        if (!locks.sharedWithOtherInstances()) {
            return refreshOnce(id, staleAccessToken, forced);
        }
        Optional<RefreshLockPort.Held> held;
        try {
            held = locks.acquire(id, LOCK_WAIT);
        } catch (RuntimeException e) {
            // Refreshing without the lock could spend a token another instance is spending: better to wait.
            throw new CredentialUnavailable(id + ": the refresh lock is unavailable (" + e.getMessage() + ")", false);
        }
        if (held.isEmpty()) {
            pool.reload();
            Credential current = pool.snapshot().entry(id).map(PoolEntry::credential).orElse(null);
            if (current != null && !forced && !tokensOf(current).accessToken().equals(staleAccessToken)) {
                return current;
            }
            throw new CredentialUnavailable(id + ": another instance is still refreshing this account", false);
        }
        try (RefreshLockPort.Held lock = held.get()) {
            pool.reload();
            return refreshOnce(id, staleAccessToken, forced);
        }
    }

    /** Runs inside the account's single flight (and its shared lock, when there is one). */
    private Credential refreshOnce(CredentialId id, Secret staleAccessToken, boolean forced)
            throws CredentialUnavailable {
        PoolEntry entry = pool.snapshot().entry(id).orElseThrow(() ->
                new CredentialUnavailable(id + " is no longer in the pool", true));
        Credential current = entry.credential();
        OAuthTokens tokens = tokensOf(current);
        if (!forced && !tokens.accessToken().equals(staleAccessToken)) {
            return current; // a flight that ended just before ours (or a new login) already replaced the token
        }
        Secret refreshToken = tokens.refreshToken().orElseThrow(() -> new CredentialUnavailable(
                current.label() + " has no refresh token; log in again", true));

        Failure last = failures.get(id);
        if (!forced && last != null && last.refreshToken().equals(refreshToken)) {
            if (last.error().permanent()) {
                throw last.error();
            }
            if (clock.instant().isBefore(last.retryAt())) {
                throw new CredentialUnavailable(last.error().getMessage() + " (next try after " + last.retryAt()
                        + ")", false);
            }
        }

        TokenGrant grant;
        try {
            grant = switch (current) {
                case ChatGptAccount a -> oauth.refresh(OAuthProvider.CHATGPT, Optional.of(a.id()), refreshToken);
                case ClaudeAccount a -> oauth.refresh(OAuthProvider.CLAUDE, Optional.of(a.id()), refreshToken);
                case ApiKey k -> throw new IllegalStateException("unreachable: keys are never refreshed");
            };
        } catch (OAuthCallException e) {
            CredentialUnavailable error = new CredentialUnavailable(
                    current.label() + ": token refresh failed: " + e.getMessage(), e.permanent());
            remember(id, refreshToken, error, last);
            Instant at = clock.instant();
            history.merge(id, RefreshHistory.NONE.failed(at, e.getMessage()), (h, x) -> h.failed(at, e.getMessage()));
            LOG.log(System.Logger.Level.WARNING, "token refresh for {0} ({1}) failed, {2}: {3}", current.label(),
                    current.fingerprint(), e.permanent() ? "needs login" : "will retry", e.getMessage());
            throw error;
        }

        Instant now = clock.instant();
        OAuthTokens next = tokens.refreshedWith(grant.accessToken(), grant.refreshToken(), grant.idToken(),
                Optional.of(grant.expiresAt(now).orElse(now.plus(FALLBACK_LIFETIME))));
        Credential updated = withRefreshedTokens(current, next, grant.claims());
        try {
            pool.update(entry, updated);
        } catch (RuntimeException e) {
            // The provider has already rotated the refresh token: serving the new one beats throwing it away.
            LOG.log(System.Logger.Level.ERROR, "refreshed tokens of {0} could not be saved to {1}: {2}",
                    current.label(), entry.path(), e.getMessage());
        }
        failures.remove(id);
        history.merge(id, RefreshHistory.NONE.succeeded(now), (h, x) -> h.succeeded(now));
        LOG.log(System.Logger.Level.INFO, "refreshed {0}: token {1} -> {2}, expires {3}", current.label(),
                current.fingerprint(), updated.fingerprint(), next.expiresAt().map(Instant::toString).orElse("?"));
        return updated;
    }

    private void remember(CredentialId id, Secret refreshToken, CredentialUnavailable error, Failure last) {
        int count = last != null && last.refreshToken().equals(refreshToken) && !last.error().permanent()
                ? last.count() + 1 : 1;
        Duration wait = retryBackoff.multipliedBy(1L << Math.min(count - 1, 20));
        if (wait.compareTo(MAX_RETRY_BACKOFF) > 0) {
            wait = MAX_RETRY_BACKOFF;
        }
        failures.put(id, new Failure(refreshToken, error, count, clock.instant().plus(wait)));
    }

    private static Credential withRefreshedTokens(Credential current, OAuthTokens next, TokenClaims claims) {
        return switch (current) {
            // A plan upgrade shows in the new access token's claims; keep what we knew when they are silent.
            case ChatGptAccount a -> new ChatGptAccount(a.email(), claims.accountId().orElse(a.accountId()),
                    claims.planType().map(PlanType::parse).filter(p -> p != PlanType.UNKNOWN).orElse(a.plan()),
                    next, a.createdAt(), a.disabled());
            case ClaudeAccount a -> a.withTokens(next);
            case ApiKey k -> k;
        };
    }

    private Credential currentVersion(Credential credential) {
        return pool.snapshot().entry(credential.id()).map(PoolEntry::credential)
                .filter(c -> c.kind() == credential.kind())
                .orElse(credential);
    }

    private static OAuthTokens tokensOf(Credential credential) {
        return switch (credential) {
            case ChatGptAccount a -> a.tokens();
            case ClaudeAccount a -> a.tokens();
            case ApiKey k -> throw new IllegalArgumentException("API keys have no OAuth tokens");
        };
    }

    private static Credential await(CompletableFuture<Credential> running) throws CredentialUnavailable {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialUnavailable("interrupted while waiting for a token refresh", false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof CredentialUnavailable unavailable) {
                throw unavailable;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CredentialUnavailable("token refresh failed: " + cause, false);
        }
    }
}
