package io.proxygate.application.usage;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.PlanType;
import io.proxygate.testsupport.FakeCredentials;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Test doubles for the usage poller: ChatGPT accounts on a Plus plan, a renewing token keeper. */
final class PollFixtures {
    private PollFixtures() {
    }

    static ChatGptAccount chatgpt(String email, String access) {
        return FakeCredentials.chatgpt(email, PlanType.PLUS, access);
    }

    /** Replaces a token ending in {@code -expired} with one ending in {@code -renewed}, or fails as told. */
    static final class RenewingTokenKeeper implements TokenKeeper {
        final AtomicInteger refreshes = new AtomicInteger();
        volatile UnaryOperator<String> renewTo = token -> token.replace("-expired", "-renewed");
        volatile CredentialUnavailable failure;

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
                case ChatGptAccount a -> a.withTokens(FakeCredentials.tokens(renewTo.apply(FakeCredentials.accessToken(a))));
                case ClaudeAccount a -> a.withTokens(FakeCredentials.tokens(renewTo.apply(FakeCredentials.accessToken(a))));
                case ApiKey k -> k;
            };
        }
    }
}
