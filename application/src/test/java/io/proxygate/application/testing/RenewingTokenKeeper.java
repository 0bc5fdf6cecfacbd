package io.proxygate.application.testing;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.testsupport.FakeCredentials;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A token keeper whose refresh hands an account the token {@link #renewedToken} picks (by default its token with
 * {@code -expired} replaced by {@code -renewed}), or fails with {@link #failure} when set; it counts refreshes.
 */
public final class RenewingTokenKeeper implements TokenKeeper {
    public final AtomicInteger refreshes = new AtomicInteger();
    public volatile Function<Credential, String> renewedToken =
            c -> FakeCredentials.accessToken(c).replace("-expired", "-renewed");
    public volatile CredentialUnavailable failure;

    @Override
    public Credential ensureFresh(Credential credential) {
        return credential;
    }

    @Override
    public Credential refreshAfterUnauthorized(Credential rejected) throws CredentialUnavailable {
        refreshes.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        return switch (rejected) {
            case ChatGptAccount a -> a.withTokens(FakeCredentials.tokens(renewedToken.apply(a)));
            case ClaudeAccount a -> a.withTokens(FakeCredentials.tokens(renewedToken.apply(a)));
            case ApiKey k -> k;
        };
    }
}
