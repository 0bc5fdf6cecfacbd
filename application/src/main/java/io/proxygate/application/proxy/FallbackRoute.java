package io.proxygate.application.proxy;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamHead;

import java.util.Optional;

/**
 * A last resort for requests that no pooled credential could serve (Claude on Vertex AI for the Messages API).
 * Called only after every candidate failed or none was eligible.
 */
public interface FallbackRoute {
    /**
     * Tries the fallback upstream (with its own retry rules) and returns the reply to relay, or empty when the
     * fallback does not apply to this request (not configured, no rule matches).
     *
     * @throws ProxyFailure when the fallback applied but failed for good (its own error texts)
     */
    Optional<FallbackReply> serve(ProxyCommand command);

    /**
     * A fallback reply whose head has arrived; the proxy relays its body like any other.
     *
     * @param provider provider label for the request log ({@code vertex-ai})
     * @param model    the model actually used upstream, for pricing
     */
    record FallbackReply(String provider, String model, UpstreamCall call, UpstreamHead head) {
    }

    FallbackRoute NONE = command -> Optional.empty();
}
