package io.proxygate.adapter.out.upstream.translate;

import io.proxygate.application.port.out.TranslationPlan;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamPort;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.translate.Translation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;

/**
 * Carries out the application's translation plans in front of the upstream adapter: a request without a plan goes
 * through unchanged; one with a plan is translated into the upstream's protocol (a refusal becomes a 400 in the
 * client's own shape, without calling the upstream), and its reply, stream or error translated back on the way out.
 * Usage is still read by the upstream call from the upstream's own events, so accounting prices the served model.
 * A request that goes to its own family unchanged loses only reasoning an earlier translation wrapped for it
 * ({@link ForeignReasoning}), which its own upstream would refuse.
 */
public final class TranslatingUpstream implements UpstreamPort {
    private static final Logger LOG = LoggerFactory.getLogger(TranslatingUpstream.class);
    /** Marks a {@code count_tokens} answer that ProxyGate estimated rather than the provider counted. */
    public static final String ESTIMATE_HEADER = "X-ProxyGate-Estimate";

    private final UpstreamPort upstream;

    public TranslatingUpstream(UpstreamPort upstream) {
        this.upstream = Objects.requireNonNull(upstream, "upstream");
    }

    /** The codec for a client speaking {@code from} served by an upstream speaking {@code to}, if there is one. */
    public static Optional<WireTranslation> codec(Api from, Api to) {
        if (from == Api.MESSAGES && to == Api.RESPONSES) {
            return Optional.of(new MessagesToResponses());
        }
        if (from == Api.RESPONSES && to == Api.MESSAGES) {
            return Optional.of(new ResponsesToMessages());
        }
        if (from == Api.CHAT_COMPLETIONS && to == Api.RESPONSES) {
            return Optional.of(new ChatToResponses());
        }
        if (from == Api.CHAT_COMPLETIONS && to == Api.MESSAGES) {
            return Optional.of(new ChatToMessages());
        }
        return Optional.empty();
    }

    /** A translated request body, and the codec (bound to what the request said) that translates its answers. */
    record Prepared(byte[] body, WireTranslation answers, java.util.List<String> notes) {
    }

    /**
     * Translates the request; a codec whose answers depend on the request (which tools were free-form, which were
     * namespaced) is bound to that knowledge for this one request.
     */
    static Prepared prepare(WireTranslation codec, byte[] clientBody, String servedModel) throws Untranslatable {
        if (codec instanceof RequestAwareTranslation contextual) {
            TranslatedRequest translated = contextual.translate(clientBody, servedModel);
            ReplyContext context = translated.context();
            return new Prepared(translated.body(), new WireTranslation() {
                @Override
                public byte[] request(byte[] body, String model) throws Untranslatable {
                    return contextual.request(body, model);
                }

                @Override
                public byte[] reply(byte[] upstreamBody, String requestedModel) {
                    return contextual.reply(upstreamBody, requestedModel, context);
                }

                @Override
                public byte[] error(int status, byte[] upstreamBody) {
                    return contextual.error(status, upstreamBody);
                }

                @Override
                public EventTranslator stream(String requestedModel) {
                    return contextual.stream(requestedModel, context);
                }
            }, translated.notes());
        }
        return new Prepared(codec.request(clientBody, servedModel), codec, java.util.List.of());
    }

    @Override
    public UpstreamCall open(UpstreamRequest request) {
        if (request.translation().isEmpty()) {
            Optional<byte[]> scrubbed = ForeignReasoning.strip(request.route(), request.body());
            if (scrubbed.isEmpty()) {
                return upstream.open(request);
            }
            LOG.debug("removed reasoning another API family produced from a {} request", request.route().path());
            return upstream.open(new UpstreamRequest(request.route(), request.credential(), request.query(),
                    request.clientHeaders(), scrubbed.get(), request.clientWantsStream(), request.method(),
                    request.path(), Optional.empty(), Optional.empty()));
        }
        TranslationPlan plan = request.translation().get();
        Translation t = plan.translation();
        Optional<WireTranslation> codec = codec(t.from(), t.to());
        if (codec.isEmpty()) {
            return LocalCall.json(400, ClientErrors.of(t.from(), "invalid_request_error",
                    "ProxyGate cannot translate " + Translation.wireName(t.from()) + " requests to "
                            + Translation.wireName(t.to())));
        }
        if (plan.clientRoute() == Route.MESSAGES_COUNT_TOKENS) {
            return countTokens(request, codec.get());
        }
        Prepared prepared;
        try {
            prepared = prepare(codec.get(), request.body(), t.servedModel());
        } catch (Untranslatable e) {
            LOG.info("translation {} refused: {}", t.describe(), e.getMessage());
            return LocalCall.json(400, ClientErrors.of(t.from(), "invalid_request_error", e.getMessage()));
        }
        // The client's headers describe another protocol (anthropic-*, x-stainless-*, its query string): the
        // upstream gets a request of its own kind, with only what it needs.
        Headers headers = Headers.of("Content-Type", "application/json");
        if (!prepared.notes().isEmpty()) {
            LOG.info("{}: {}", t.describe(), String.join("; ", prepared.notes()));
        }
        UpstreamRequest translated = new UpstreamRequest(request.route(), request.credential(), "", headers,
                prepared.body(), request.clientWantsStream(), "POST", "", Optional.empty(), Optional.empty());
        return new TranslatingCall(upstream.open(translated), prepared.answers(), t.requestedModel());
    }

    /** The OpenAI family has no token-counting endpoint: an estimate, said to be one in a header and a field. */
    private static UpstreamCall countTokens(UpstreamRequest request, WireTranslation codec) {
        if (!(codec instanceof MessagesToResponses messages)) {
            return LocalCall.json(400, ClientErrors.of(Api.MESSAGES, "invalid_request_error",
                    "count_tokens cannot be served by this upstream"));
        }
        try {
            long tokens = messages.estimateInputTokens(request.body());
            byte[] body = ("{\"input_tokens\":" + tokens + ",\"estimated\":true}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return LocalCall.json(200, body, ESTIMATE_HEADER, "count_tokens estimated from the request's length");
        } catch (Untranslatable e) {
            return LocalCall.json(400, ClientErrors.of(Api.MESSAGES, "invalid_request_error", e.getMessage()));
        }
    }
}
