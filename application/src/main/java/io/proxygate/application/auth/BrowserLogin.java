package io.proxygate.application.auth;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A browser login waiting for its callback. {@link #result()} completes with the saved account, or exceptionally
 * with a {@link LoginFailed} (denied, state mismatch, timeout, exchange failure, cancelled).
 */
public final class BrowserLogin {
    private final OAuthProvider provider;
    private final URI authorizeUrl;
    private final int callbackPort;
    private final CompletableFuture<LoginResult> result;
    private final Runnable cancel;

    BrowserLogin(OAuthProvider provider, URI authorizeUrl, int callbackPort, CompletableFuture<LoginResult> result,
                 Runnable cancel) {
        this.provider = Objects.requireNonNull(provider);
        this.authorizeUrl = Objects.requireNonNull(authorizeUrl);
        this.callbackPort = callbackPort;
        this.result = Objects.requireNonNull(result);
        this.cancel = Objects.requireNonNull(cancel);
    }

    public OAuthProvider provider() {
        return provider;
    }

    /** The page to open in the browser. */
    public URI authorizeUrl() {
        return authorizeUrl;
    }

    /** The loopback port the callback listener is bound to. */
    public int callbackPort() {
        return callbackPort;
    }

    /** A read-only view of the outcome; cancelling this future does not stop the login (use {@link #cancel()}). */
    public CompletableFuture<LoginResult> result() {
        return result.copy();
    }

    /** Stops listening; the result fails with "login cancelled" unless it already completed. */
    public void cancel() {
        cancel.run();
    }
}
