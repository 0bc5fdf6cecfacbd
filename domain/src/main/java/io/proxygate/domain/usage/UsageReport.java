package io.proxygate.domain.usage;

import java.util.Optional;

/**
 * What an upstream reported about one request's usage, as far as it was seen: tokens, the response id (for pins),
 * model and service tier. {@code complete} is false when the stream ended before its final usage event.
 * {@code failure} is set when a stream that began with a success status announced a failure in an event.
 */
public record UsageReport(TokenUsage tokens, Optional<String> responseId, Optional<String> model,
                          Optional<String> serviceTier, boolean complete, Optional<StreamFailure> failure) {
    public static final UsageReport EMPTY = new UsageReport(TokenUsage.NONE, Optional.empty(), Optional.empty(),
            Optional.empty(), false);

    public UsageReport(TokenUsage tokens, Optional<String> responseId, Optional<String> model,
                       Optional<String> serviceTier, boolean complete) {
        this(tokens, responseId, model, serviceTier, complete, Optional.empty());
    }

    public UsageReport {
        tokens = tokens == null ? TokenUsage.NONE : tokens;
        responseId = responseId == null ? Optional.empty() : responseId;
        model = model == null ? Optional.empty() : model;
        serviceTier = serviceTier == null ? Optional.empty() : serviceTier;
        failure = failure == null ? Optional.empty() : failure;
    }

    public UsageReport withFailure(StreamFailure f) {
        return new UsageReport(tokens, responseId, model, serviceTier, complete, Optional.of(f));
    }
}
