package io.proxygate.application.port.out;

import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.PendingLogin;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps at most one pending manual login per provider across processes (the CLI's start and finish are separate
 * runs), in {@code <data_dir>/.pending-chatgpt-oauth.json} and {@code .pending-claude-oauth.json}, mode 0600.
 */
public interface PendingLoginPort {
    /** Replaces the provider's pending login (atomically). */
    void save(OAuthProvider provider, PendingLogin login) throws IOException;

    /** The provider's pending login, or empty when none was saved. */
    Optional<PendingLogin> load(OAuthProvider provider) throws IOException;

    /** Forgets the provider's pending login; returns whether there was one. */
    boolean clear(OAuthProvider provider) throws IOException;
}
