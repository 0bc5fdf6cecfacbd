package io.proxygate.application.auth;

import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.port.out.BrowserPort;
import io.proxygate.application.port.out.CallbackListenerPort;
import io.proxygate.application.port.out.OAuthPort;
import io.proxygate.application.port.out.PendingLoginPort;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.OAuthTokens;
import io.proxygate.domain.credential.PlanType;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Logs ChatGPT and Claude accounts in and writes them to the pool: the browser flow (loopback callback), the manual
 * flow ({@code --no-browser} start, pasted {@code --code} finish, with the verifier and state kept in the data dir)
 * and the ChatGPT device-code flow. Nothing is written to the pool unless the whole login succeeded.
 */
public final class LoginService {
    private static final System.Logger LOG = System.getLogger(LoginService.class.getName());

    private final CredentialPool pool;
    private final OAuthPort oauth;
    private final PendingLoginPort pending;
    private final CallbackListenerPort callbacks;
    private final BrowserPort browser;
    private final LoginSettings settings;
    private final InstantSource clock;
    private final Pkce pkce;
    /** Callback handling (token exchange) runs off the listener's thread. */
    private final Executor worker = Thread::startVirtualThread;

    /**
     * @param random source of PKCE verifiers and states; shared by concurrent logins, so thread-safe
     *               ({@link java.security.SecureRandom} in production)
     */
    public LoginService(CredentialPool pool, OAuthPort oauth, PendingLoginPort pending, CallbackListenerPort callbacks,
                        BrowserPort browser, LoginSettings settings, InstantSource clock, RandomGenerator random) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.oauth = Objects.requireNonNull(oauth, "oauth");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.browser = Objects.requireNonNull(browser, "browser");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pkce = new Pkce(random);
    }

    // ---------------------------------------------------------------- authorize URLs

    /** The provider's authorize page with its query, as its own client sends it. */
    public URI authorizeUrl(OAuthProvider provider, String redirectUri, String codeChallenge, String state) {
        return withQuery(provider.authorizeEndpoint(settings),
                provider.authorizeQuery(redirectUri, codeChallenge, state));
    }

    // ---------------------------------------------------------------- browser flow

    /**
     * Starts a browser login: listens on the first free port of the provider's range (ChatGPT 1455..1460 on
     * {@code /auth/callback}, Claude 1461..1466 on {@code /callback}) and returns the authorize URL; the result
     * completes when the browser comes back (or after the callback timeout). Does not open a browser (an admin route
     * hands the URL to the dashboard instead). {@code email} overrides the email of a provider profile (Claude).
     */
    public BrowserLogin startBrowserLogin(OAuthProvider provider, Optional<String> email) throws LoginFailed {
        return startBrowserLogin(provider, email, settings.callbackTimeout(), false);
    }

    /**
     * The CLI's {@code add-account --no-browser}: listens for the callback as the browser login does, so a user whose
     * browser reaches this machine's port (a forwarded port) finishes without pasting, and keeps the verifier as a
     * pending manual login, so the redirect URL pasted on {@code pasted} meanwhile, or given to
     * {@link #finishManualLogin} later ({@code --code}), finishes it as well. {@code show} gets the URL to
     * open and the callback port. Waits up to {@code wait} for the callback or a paste; after that the login stays
     * pending.
     */
    public LoginResult loginHeadless(OAuthProvider provider, Duration wait, Consumer<BrowserLogin> show,
                                     PastedInput pasted) throws LoginFailed {
        BrowserLogin login = startBrowserLogin(provider, Optional.empty(), wait, true);
        show.accept(login);
        CompletableFuture<LoginResult> byPaste = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().name("pasted-login-input")
                .start(() -> readPasted(provider, pasted, byPaste));
        try {
            return (LoginResult) CompletableFuture.anyOf(login.result(), byPaste).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginFailed(LoginFailed.Reason.TIMED_OUT, "login cancelled");
        } catch (ExecutionException e) {
            throw asLoginFailed(e.getCause());
        } finally {
            login.cancel();
            reader.interrupt();
        }
    }

    /** Pasted lines until one finishes the pending login; lines that are no redirect URL or code are skipped. */
    private void readPasted(OAuthProvider provider, PastedInput pasted, CompletableFuture<LoginResult> byPaste) {
        try {
            Optional<String> line;
            while (!byPaste.isDone() && (line = pasted.nextLine()).isPresent()) {
                String text = line.get().strip();
                if (text.isEmpty()) {
                    continue;
                }
                try {
                    byPaste.complete(finishManualLogin(provider, text));
                } catch (LoginFailed e) {
                    if (e.reason() == LoginFailed.Reason.BAD_INPUT) {
                        pasted.rejected(e.getMessage());
                        continue;
                    }
                    byPaste.completeExceptionally(e);
                }
                return;
            }
        } catch (IOException | RuntimeException e) {
            // The input ended or broke: the callback may still come.
            LOG.log(System.Logger.Level.DEBUG, "pasted login input ended: {0}", e.toString());
        }
    }

    /**
     * The CLI's browser login: starts it, opens the browser ({@code showUrl} gets the URL when that fails) and
     * waits for the outcome.
     */
    public LoginResult loginWithBrowser(OAuthProvider provider, Optional<String> email, Consumer<URI> showUrl)
            throws LoginFailed {
        return loginWithBrowser(provider, email, showUrl, true);
    }

    /**
     * As {@link #loginWithBrowser(OAuthProvider, Optional, Consumer)}; with {@code waitWithoutBrowser} false, a
     * browser that cannot be opened ends the login at once ({@link LoginFailed.Reason#NO_BROWSER}) instead of
     * waiting for someone to open the URL by hand: a script with no one at a terminal would wait for nothing.
     */
    public LoginResult loginWithBrowser(OAuthProvider provider, Optional<String> email, Consumer<URI> showUrl,
                                        boolean waitWithoutBrowser) throws LoginFailed {
        return openAndWait(startBrowserLogin(provider, email), showUrl, waitWithoutBrowser);
    }

    /** {@code keepPending}: also saved as a pending manual login, which a successful callback then clears. */
    private BrowserLogin startBrowserLogin(OAuthProvider provider, Optional<String> email, Duration timeout,
                                           boolean keepPending) throws LoginFailed {
        int first = provider.firstPort();
        int last = provider.lastPort();
        Pkce.Codes codes = pkce.newCodes();
        String state = pkce.newState();
        CallbackListenerPort.Listener listener;
        try {
            listener = callbacks.listen(first, last, provider.callbackPath(), state);
        } catch (IOException e) {
            throw new LoginFailed(LoginFailed.Reason.LOCAL,
                    "cannot listen for the OAuth callback on ports " + first + ".." + last + ": " + e.getMessage(), e);
        }
        String redirectUri = provider.redirectUri(listener.port());
        URI authorizeUrl = authorizeUrl(provider, redirectUri, codes.challenge(), state);
        PendingLogin login = new PendingLogin(codes.verifier(), state, redirectUri, clock.instant());
        if (keepPending) {
            try {
                pending.save(provider, login);
            } catch (IOException e) {
                listener.close();
                throw new LoginFailed(LoginFailed.Reason.LOCAL, "cannot save the pending login: " + e.getMessage(), e);
            }
        }

        CompletableFuture<LoginResult> result = new CompletableFuture<>();
        listener.callback()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((params, error) -> {
                    try {
                        if (error != null) {
                            result.completeExceptionally(callbackFailure(provider, unwrap(error), timeout));
                            return;
                        }
                        LoginResult done = finishCallback(provider, login, params, email);
                        if (keepPending) {
                            clearQuietly(provider); // before the waiting CLI hears of it and exits
                        }
                        listener.finish(Optional.empty());
                        result.complete(done);
                    } catch (LoginFailed e) {
                        listener.finish(Optional.of(e.getMessage()));
                        result.completeExceptionally(e);
                    } catch (RuntimeException e) {
                        LoginFailed failed = new LoginFailed(LoginFailed.Reason.LOCAL,
                                provider.displayName() + " login failed: " + e.getMessage(), e);
                        listener.finish(Optional.of(failed.getMessage()));
                        result.completeExceptionally(failed);
                    } finally {
                        listener.close();
                    }
                }, worker);
        Runnable cancel = () -> {
            result.completeExceptionally(new LoginFailed(LoginFailed.Reason.TIMED_OUT, "login cancelled"));
            listener.close();
        };
        return new BrowserLogin(provider, authorizeUrl, listener.port(), result, cancel);
    }

    private LoginResult finishCallback(OAuthProvider provider, PendingLogin login, Map<String, String> params,
                                       Optional<String> email) throws LoginFailed {
        String error = params.getOrDefault("error", "");
        if (!error.isEmpty()) {
            throw new LoginFailed(LoginFailed.Reason.DENIED, "oauth error: " + error);
        }
        if (!login.state().equals(params.getOrDefault("state", ""))) {
            throw new LoginFailed(LoginFailed.Reason.STATE_MISMATCH, "OAuth state mismatch");
        }
        String code = params.getOrDefault("code", "");
        if (code.isEmpty()) {
            throw new LoginFailed(LoginFailed.Reason.BAD_INPUT, "no code in callback");
        }
        return complete(provider, code, login, email);
    }

    private static LoginFailed callbackFailure(OAuthProvider provider, Throwable error, Duration timeout) {
        if (error instanceof TimeoutException) {
            return new LoginFailed(LoginFailed.Reason.TIMED_OUT,
                    "no " + provider.displayName() + " OAuth callback within " + human(timeout)
                            + "; start the login again");
        }
        if (error instanceof CancellationException) {
            return new LoginFailed(LoginFailed.Reason.TIMED_OUT, "login cancelled");
        }
        return new LoginFailed(LoginFailed.Reason.LOCAL, "OAuth callback listener failed: " + error.getMessage(), error);
    }

    private LoginResult openAndWait(BrowserLogin login, Consumer<URI> showUrl, boolean waitWithoutBrowser)
            throws LoginFailed {
        boolean opened;
        try {
            opened = browser.open(login.authorizeUrl());
        } catch (RuntimeException e) {
            opened = false;
        }
        if (!opened && !waitWithoutBrowser) {
            login.cancel();
            throw new LoginFailed(LoginFailed.Reason.NO_BROWSER, "no browser could be opened");
        }
        if (!opened) {
            showUrl.accept(login.authorizeUrl());
        }
        try {
            return login.result().get();
        } catch (InterruptedException e) {
            login.cancel();
            Thread.currentThread().interrupt();
            throw new LoginFailed(LoginFailed.Reason.TIMED_OUT, "login cancelled");
        } catch (ExecutionException e) {
            throw asLoginFailed(e.getCause());
        }
    }

    // ---------------------------------------------------------------- manual flow

    /**
     * Starts a manual login: saves the pending verifier/state (replacing an earlier one) and returns the URL to open.
     * The redirect goes to the first port of the provider's range (ChatGPT {@code http://localhost:1455/auth/callback},
     * Claude {@code http://localhost:1461/callback}), where nothing listens: the user copies the address bar into
     * {@link #finishManualLogin}.
     */
    public ManualLogin startManualLogin(OAuthProvider provider) throws LoginFailed {
        String redirectUri = provider.redirectUri(provider.firstPort());
        Pkce.Codes codes = pkce.newCodes();
        String state = pkce.newState();
        Instant now = clock.instant();
        try {
            pending.save(provider, new PendingLogin(codes.verifier(), state, redirectUri, now));
        } catch (IOException e) {
            throw new LoginFailed(LoginFailed.Reason.LOCAL, "cannot save the pending login: " + e.getMessage(), e);
        }
        URI url = authorizeUrl(provider, redirectUri, codes.challenge(), state);
        return new ManualLogin(provider, url, redirectUri, now.plus(settings.pendingTtl()));
    }

    /**
     * Finishes the provider's pending manual login with the pasted redirect URL or code, then forgets the pending
     * login.
     *
     * @throws LoginFailed "no pending ChatGPT OAuth login", "pending OAuth expired (started 12m ago)", "OAuth
     *                     state mismatch", the {@link AuthorizationInput#parse} messages, or an upstream failure
     */
    public LoginResult finishManualLogin(OAuthProvider provider, String codeOrUrl) throws LoginFailed {
        return finishManualLogin(provider, codeOrUrl, Optional.empty());
    }

    /** As {@link #finishManualLogin(OAuthProvider, String)}; {@code email} overrides the profile's (Claude). */
    public LoginResult finishManualLogin(OAuthProvider provider, String codeOrUrl, Optional<String> email)
            throws LoginFailed {
        PendingLogin login = loadPending(provider);
        AuthorizationInput input = checkedInput(codeOrUrl, login);
        LoginResult result = complete(provider, input.code(), login, email);
        clearQuietly(provider);
        return result;
    }

    /** Forgets the provider's pending manual login ({@code --abort-pending}); returns whether there was one. */
    public boolean abortPending(OAuthProvider provider) throws LoginFailed {
        try {
            return pending.clear(provider);
        } catch (IOException e) {
            throw new LoginFailed(LoginFailed.Reason.LOCAL, "cannot remove the pending login: " + e.getMessage(), e);
        }
    }

    private PendingLogin loadPending(OAuthProvider provider) throws LoginFailed {
        Optional<PendingLogin> saved;
        try {
            saved = pending.load(provider);
        } catch (IOException e) {
            throw new LoginFailed(LoginFailed.Reason.LOCAL, "cannot read the pending login: " + e.getMessage(), e);
        }
        PendingLogin login = saved.orElseThrow(() -> new LoginFailed(LoginFailed.Reason.NO_PENDING,
                "no pending " + provider.displayName() + " OAuth login"));
        Duration age = Duration.between(login.createdAt(), clock.instant());
        if (age.compareTo(settings.pendingTtl()) > 0) {
            clearQuietly(provider); // its verifier is useless now; do not leave it lying around
            throw new LoginFailed(LoginFailed.Reason.PENDING_EXPIRED,
                    "pending OAuth expired (started " + human(age) + " ago)");
        }
        return login;
    }

    private static AuthorizationInput checkedInput(String codeOrUrl, PendingLogin login) throws LoginFailed {
        AuthorizationInput input = AuthorizationInput.parse(codeOrUrl);
        // A bare code carries no state; a pasted URL's state must be the one we sent.
        if (input.state().isPresent() && !input.state().get().equals(login.state())) {
            throw new LoginFailed(LoginFailed.Reason.STATE_MISMATCH, "OAuth state mismatch");
        }
        return input;
    }

    private void clearQuietly(OAuthProvider provider) {
        try {
            pending.clear(provider);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove the pending {0} login: {1}",
                    provider.displayName(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- device code (ChatGPT)

    /**
     * Starts a ChatGPT device-code login ({@code --device}): the user opens the verification URL on any device and
     * enters the code. Then call {@link #finishChatGptDeviceLogin}.
     *
     * @throws LoginFailed when the server does not offer device login (404) or the request fails
     */
    public DeviceLogin startChatGptDeviceLogin() throws LoginFailed {
        DeviceCode code;
        try {
            code = oauth.requestChatGptDeviceCode();
        } catch (OAuthCallException e) {
            throw new LoginFailed(LoginFailed.Reason.UPSTREAM, "ChatGPT device code request failed: " + e.getMessage(),
                    e);
        }
        return new DeviceLogin(code.verificationUrl(), code.userCode(), clock.instant().plus(settings.deviceTimeout()),
                code);
    }

    /** Polls until the user approved the device code (or it expired), then exchanges and saves the account. */
    public LoginResult finishChatGptDeviceLogin(DeviceLogin login) throws LoginFailed {
        Duration interval = login.deviceCode().pollInterval()
                .filter(d -> d.compareTo(settings.deviceMinPollInterval()) > 0)
                .orElse(settings.deviceMinPollInterval());
        while (true) {
            Optional<DeviceAuthorization> approved;
            try {
                approved = oauth.pollChatGptDeviceCode(login.deviceCode());
            } catch (OAuthCallException e) {
                throw new LoginFailed(LoginFailed.Reason.UPSTREAM, "ChatGPT device login failed: " + e.getMessage(), e);
            }
            if (approved.isPresent()) {
                DeviceAuthorization auth = approved.get();
                return completeChatGpt(auth.authorizationCode(), auth.codeVerifier(), auth.redirectUri());
            }
            if (!clock.instant().plus(interval).isBefore(login.expiresAt())) {
                throw new LoginFailed(LoginFailed.Reason.TIMED_OUT,
                        "device code was not approved within " + human(settings.deviceTimeout()));
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LoginFailed(LoginFailed.Reason.TIMED_OUT, "login cancelled");
            }
        }
    }

    /** The CLI's {@code --device}: starts, shows the URL and code through {@code show}, and waits. */
    public LoginResult loginChatGptWithDeviceCode(Consumer<DeviceLogin> show) throws LoginFailed {
        DeviceLogin login = startChatGptDeviceLogin();
        show.accept(login);
        return finishChatGptDeviceLogin(login);
    }

    // ---------------------------------------------------------------- completing a login

    /**
     * Exchanges the code and saves the account: the one step that differs per provider, since their tokens become
     * different kinds of account (ChatGPT's carry claims, Claude's need the profile).
     */
    private LoginResult complete(OAuthProvider provider, String code, PendingLogin login, Optional<String> email)
            throws LoginFailed {
        return switch (provider) {
            case CHATGPT -> completeChatGpt(code, login.verifier(), login.redirectUri());
            case CLAUDE -> completeClaude(code, login, email);
        };
    }

    private LoginResult completeChatGpt(String code, String verifier, String redirectUri) throws LoginFailed {
        TokenGrant grant;
        try {
            grant = oauth.exchangeChatGptCode(code, verifier, redirectUri);
        } catch (OAuthCallException e) {
            throw new LoginFailed(LoginFailed.Reason.UPSTREAM, "ChatGPT token exchange failed: " + e.getMessage(), e);
        }
        TokenClaims claims = grant.claims();
        String email = claims.email().orElseThrow(() -> new LoginFailed(LoginFailed.Reason.UPSTREAM,
                "ChatGPT login: the tokens carry no email claim"));
        Instant now = clock.instant();
        OAuthTokens tokens = new OAuthTokens(grant.accessToken(), grant.refreshToken(), grant.idToken(),
                grant.expiresAt(now));
        ChatGptAccount account = new ChatGptAccount(email, claims.accountId().orElse(""),
                PlanType.parse(claims.planType().orElse("free")), tokens, Optional.of(now), false);
        return save(account);
    }

    private LoginResult completeClaude(String code, PendingLogin login, Optional<String> emailOverride)
            throws LoginFailed {
        TokenGrant grant;
        try {
            grant = oauth.exchangeClaudeCode(code, login.verifier(), login.redirectUri(), login.state());
        } catch (OAuthCallException e) {
            throw new LoginFailed(LoginFailed.Reason.UPSTREAM, "Claude token exchange failed: " + e.getMessage(), e);
        }
        Optional<String> override = emailOverride.map(String::trim).filter(s -> !s.isEmpty());
        ClaudeProfile profile;
        try {
            profile = oauth.fetchClaudeProfile(grant.accessToken());
        } catch (OAuthCallException e) {
            if (override.isEmpty()) {
                throw new LoginFailed(LoginFailed.Reason.UPSTREAM, "Claude profile request failed: " + e.getMessage(),
                        e);
            }
            // The email is what the account needs; the rest is informative and the usage poller fills the tier later.
            LOG.log(System.Logger.Level.WARNING, "Claude profile request failed ({0}); saving {1} without profile",
                    e.getMessage(), override.get());
            profile = new ClaudeProfile(Optional.empty(), "", "", "");
        }
        String email = override.or(profile::email).orElseThrow(() -> new LoginFailed(LoginFailed.Reason.UPSTREAM,
                "Claude login: the profile has no email; pass the email explicitly"));
        Instant now = clock.instant();
        OAuthTokens tokens = new OAuthTokens(grant.accessToken(), grant.refreshToken(), grant.idToken(),
                grant.expiresAt(now));
        ClaudeAccount account = new ClaudeAccount(email, profile.accountId(), profile.subscriptionType(),
                profile.rateLimitTier(), tokens, Optional.of(now), false);
        return save(account);
    }

    /**
     * Writes the account: a new file, or the existing account's file when that email is already pooled (keeping
     * its created_at, disabled flag and fields this version does not know).
     */
    private LoginResult save(Credential account) throws LoginFailed {
        try {
            pool.reload(); // the CLI's pool may not be loaded yet; the server's is cheap to rescan
            Optional<PoolEntry> existing = pool.snapshot().entry(account.id());
            if (existing.isPresent()) {
                Credential merged = keepIdentity(account, existing.get().credential());
                pool.update(existing.get(), merged);
                LOG.log(System.Logger.Level.INFO, "logged in {0} again (token {1}); updated {2}", account.label(),
                        account.fingerprint(), existing.get().path());
                return new LoginResult(merged, existing.get().path(), true);
            }
            String path = pool.add(account);
            LOG.log(System.Logger.Level.INFO, "logged in {0} (token {1}); wrote {2}", account.label(),
                    account.fingerprint(), path);
            return new LoginResult(account, path, false);
        } catch (RuntimeException e) {
            throw new LoginFailed(LoginFailed.Reason.LOCAL, "cannot save the account: " + e.getMessage(), e);
        }
    }

    private static Credential keepIdentity(Credential fresh, Credential old) {
        return switch (fresh) {
            case ChatGptAccount a -> old instanceof ChatGptAccount o
                    ? new ChatGptAccount(a.email(), a.accountId().isEmpty() ? o.accountId() : a.accountId(), a.plan(),
                    a.tokens(), o.createdAt().or(a::createdAt), o.disabled())
                    : a;
            case ClaudeAccount a -> old instanceof ClaudeAccount o
                    ? new ClaudeAccount(a.email(), a.accountId().isEmpty() ? o.accountId() : a.accountId(),
                    a.subscriptionType().isEmpty() ? o.subscriptionType() : a.subscriptionType(),
                    a.rateLimitTier().isEmpty() ? o.rateLimitTier() : a.rateLimitTier(), a.tokens(),
                    o.createdAt().or(a::createdAt), o.disabled())
                    : a;
            default -> fresh;
        };
    }

    // ---------------------------------------------------------------- helpers

    private static LoginFailed asLoginFailed(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof LoginFailed failed) {
            return failed;
        }
        return new LoginFailed(LoginFailed.Reason.LOCAL, "login failed: " + cause.getMessage(), cause);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static URI withQuery(URI base, List<Map.Entry<String, String>> query) {
        String encoded = query.stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String text = base.toString();
        return URI.create(text + (text.contains("?") ? "&" : "?") + encoded);
    }

    /** "12m", "1h5m", "45s": short enough for a one-line message. */
    static String human(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        StringBuilder out = new StringBuilder();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (s > 0 || out.isEmpty()) {
            out.append(s).append('s');
        }
        return out.toString();
    }
}
