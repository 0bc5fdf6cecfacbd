package io.proxygate.domain.usage;

import java.util.Optional;

/**
 * What an upstream reported about one request's usage, as far as it was seen: tokens, the response id (for pins),
 * model and service tier. {@code complete} is false when the stream ended before its final usage event.
 */
public record UsageReport(TokenUsage tokens, Optional<String> responseId, Optional<String> model,
                          Optional<String> serviceTier, boolean complete) {
    public static final UsageReport EMPTY = new UsageReport(TokenUsage.NONE, Optional.empty(), Optional.empty(),
            Optional.empty(), false);

    public UsageReport {
        tokens = tokens == null ? TokenUsage.NONE : tokens;
        responseId = responseId == null ? Optional.empty() : responseId;
        model = model == null ? Optional.empty() : model;
        serviceTier = serviceTier == null ? Optional.empty() : serviceTier;
    }
}
