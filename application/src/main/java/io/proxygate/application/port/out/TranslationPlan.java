package io.proxygate.application.port.out;

import io.proxygate.application.http.Route;
import io.proxygate.domain.translate.Translation;

import java.util.Objects;

/**
 * An attempt served from the other API family: the adapter turns the client's body (in {@code clientRoute}'s
 * protocol) into the upstream's, asks for {@link Translation#servedModel()}, and turns the reply, stream or error
 * back into the client's protocol. Usage is read from the upstream's own events, before translation, so the request
 * is counted and priced as the served model.
 */
public record TranslationPlan(Route clientRoute, Translation translation) {
    public TranslationPlan {
        Objects.requireNonNull(clientRoute, "clientRoute");
        Objects.requireNonNull(translation, "translation");
    }
}
