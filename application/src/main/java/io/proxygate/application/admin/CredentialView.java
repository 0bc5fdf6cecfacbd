package io.proxygate.application.admin;

import io.proxygate.application.auth.RefreshHistory;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.usage.PollStatus;
import io.proxygate.application.usage.UsageTotals;

import java.util.Objects;
import java.util.Optional;

/**
 * One pooled credential with everything the admin views show about it: its file entry, the router's runtime state,
 * usage polling, lifetime totals, today's usage and token refreshes. Holds the credential itself: edges show only its
 * fingerprint, never a secret.
 */
public record CredentialView(PoolEntry entry, Optional<CredentialStatus> status, Optional<PollStatus> poll,
                             UsageTotals lifetime, Optional<UsageTotals> today, Optional<RefreshHistory> refresh) {
    public CredentialView(PoolEntry entry, Optional<CredentialStatus> status, Optional<PollStatus> poll,
                          UsageTotals lifetime, Optional<UsageTotals> today) {
        this(entry, status, poll, lifetime, today, Optional.empty());
    }

    public CredentialView {
        refresh = refresh == null ? Optional.empty() : refresh;
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(lifetime, "lifetime");
        status = status == null ? Optional.empty() : status;
        poll = poll == null ? Optional.empty() : poll;
        today = today == null ? Optional.empty() : today;
    }
}
