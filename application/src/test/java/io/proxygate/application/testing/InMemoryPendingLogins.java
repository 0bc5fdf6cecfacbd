package io.proxygate.application.testing;

import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.PendingLogin;
import io.proxygate.application.port.out.PendingLoginPort;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending logins kept in memory, open to inspection through {@link #saved}: the file store is tested in the
 * persistence adapter.
 */
public final class InMemoryPendingLogins implements PendingLoginPort {
    public final Map<OAuthProvider, PendingLogin> saved = new ConcurrentHashMap<>();

    @Override
    public void save(OAuthProvider provider, PendingLogin login) {
        saved.put(provider, login);
    }

    @Override
    public Optional<PendingLogin> load(OAuthProvider provider) {
        return Optional.ofNullable(saved.get(provider));
    }

    @Override
    public boolean clear(OAuthProvider provider) {
        return saved.remove(provider) != null;
    }
}
