package io.proxygate.application.routing;

import java.time.Duration;

/** Why an attempt on a credential failed, as far as routing cares. */
public sealed interface AttemptFailure {
    /** 429: cool down for {@code cooldown} (already parsed from retry-after and friends, capped). */
    record RateLimited(Duration cooldown) implements AttemptFailure {
    }

    /** 5xx from the upstream: back off exponentially on repeats. */
    record ServerError(int status) implements AttemptFailure {
    }

    /** Connection refused, reset, timed out: back off exponentially on repeats. */
    record Unreachable(String detail) implements AttemptFailure {
    }

    /**
     * A refusal by the provider's edge (a challenge page, a region or IP block) rather than by the account: a short
     * pause for this credential, never a needs-login mark, since a fresh login would not change the answer.
     */
    record EdgeRefused(Duration cooldown) implements AttemptFailure {
    }

    /** 401/403 that a token refresh could not cure: the credential needs a new login (or a new key). */
    record NeedsLogin(String reason) implements AttemptFailure {
    }
}
