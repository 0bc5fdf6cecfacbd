package io.proxygate.application.routing;

import io.proxygate.domain.credential.Api;
import io.proxygate.domain.routing.ConversationKey;

import java.util.Objects;
import java.util.Optional;

/** What the router needs to know about a request. */
public record RouteQuery(Api api, String model, Optional<ConversationKey> conversation,
                         Optional<String> previousResponseId) {
    public RouteQuery {
        Objects.requireNonNull(api, "api");
        model = model == null ? "unknown" : model;
        conversation = conversation == null ? Optional.empty() : conversation;
        previousResponseId = previousResponseId == null ? Optional.empty() : previousResponseId;
    }
}
