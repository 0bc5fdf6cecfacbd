package io.proxygate.application.proxy;

import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.Credential;

import java.util.Optional;

/** Takes credentials out of rotation once they spent their allowance (the daily budgets), and learns from each row. */
public interface SpendLimit {
    /** Why {@code credential} may not take another request now, if it may not. */
    Optional<String> blocks(Credential credential);

    /** A request finished; its cost counts against its credential. */
    void spent(RequestRecord record);

    SpendLimit NONE = new SpendLimit() {
        @Override
        public Optional<String> blocks(Credential credential) {
            return Optional.empty();
        }

        @Override
        public void spent(RequestRecord record) {
        }
    };
}
