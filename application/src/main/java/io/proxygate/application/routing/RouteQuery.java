package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.routing.ConversationKey;

import java.util.Objects;
import java.util.Optional;

/**
 * What the router needs to know about a request. {@code boundToAccount}: the request carries something only its
 * pinned account can read ({@code previous_response_id}, account-encrypted reasoning), so a pin it follows must
 * hold even when that account is slow or failing.
 */
public record RouteQuery(Api api, String model, Optional<ConversationKey> conversation,
                         Optional<String> previousResponseId, boolean boundToAccount) {
    public RouteQuery {
        Objects.requireNonNull(api, "api");
        model = model == null ? "unknown" : model;
        conversation = conversation == null ? Optional.empty() : conversation;
        previousResponseId = previousResponseId == null ? Optional.empty() : previousResponseId;
        boundToAccount = boundToAccount || previousResponseId.filter(id -> !id.isBlank()).isPresent();
    }

    /** Bound to its account exactly when it continues a previous response. */
    public RouteQuery(Api api, String model, Optional<ConversationKey> conversation,
                      Optional<String> previousResponseId) {
        this(api, model, conversation, previousResponseId, false);
    }
}
