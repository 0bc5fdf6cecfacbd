package io.proxygate.application.proxy;

import io.proxygate.domain.routing.ConversationKey;

import java.util.Optional;

/**
 * The few things routing and accounting need from a request body and headers, extracted once by the inbound
 * adapter; the body itself stays bytes.
 *
 * @param model              requested model, or {@code unknown}
 * @param stream             whether the client asked for a stream ({@code stream: true})
 * @param conversation       the conversation key, if the request carries one
 * @param previousResponseId Responses API {@code previous_response_id}, if any
 * @param serviceTier        requested {@code service_tier}, if any
 */
public record RequestFacts(String model, boolean stream, Optional<ConversationKey> conversation,
                           Optional<String> previousResponseId, Optional<String> serviceTier) {
    public RequestFacts {
        model = model == null || model.isBlank() ? "unknown" : model;
        conversation = conversation == null ? Optional.empty() : conversation;
        previousResponseId = previousResponseId == null ? Optional.empty() : previousResponseId;
        serviceTier = serviceTier == null ? Optional.empty() : serviceTier;
    }
}
