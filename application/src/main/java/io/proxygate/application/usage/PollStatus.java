package io.proxygate.application.usage;

import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How usage polling is going for one account.
 *
 * @param lastPollAt          when the last poll started
 * @param lastSuccessAt       when a poll last delivered windows
 * @param lastError           why the last poll failed; cleared by a success
 * @param consecutiveFailures failed polls since the last success
 * @param failures            failed polls since start
 */
public record PollStatus(CredentialId id, Optional<Instant> lastPollAt, Optional<Instant> lastSuccessAt,
                         Optional<String> lastError, int consecutiveFailures, long failures) {
    public PollStatus {
        Objects.requireNonNull(id, "id");
        lastPollAt = lastPollAt == null ? Optional.empty() : lastPollAt;
        lastSuccessAt = lastSuccessAt == null ? Optional.empty() : lastSuccessAt;
        lastError = lastError == null ? Optional.empty() : lastError;
    }

    static PollStatus never(CredentialId id) {
        return new PollStatus(id, Optional.empty(), Optional.empty(), Optional.empty(), 0, 0);
    }

    PollStatus succeeded(Instant at) {
        return new PollStatus(id, Optional.of(at), Optional.of(at), Optional.empty(), 0, failures);
    }

    PollStatus failed(Instant at, String error) {
        return new PollStatus(id, Optional.of(at), lastSuccessAt, Optional.of(error), consecutiveFailures + 1,
                failures + 1);
    }
}
