package io.proxygate.adapter.out.upstream.translate;

/**
 * A translation whose answers depend on what the request said (free-form or namespaced tools, a Chat client's
 * {@code include_usage}): {@link #translate} returns that knowledge, and the reply side takes it back. The plain
 * {@link WireTranslation} methods use {@link ReplyContext#NONE}.
 */
public interface RequestAwareTranslation extends WireTranslation {
    TranslatedRequest translate(byte[] clientBody, String servedModel) throws Untranslatable;

    byte[] reply(byte[] upstreamBody, String requestedModel, ReplyContext context);

    EventTranslator stream(String requestedModel, ReplyContext context);

    @Override
    default byte[] request(byte[] clientBody, String servedModel) throws Untranslatable {
        return translate(clientBody, servedModel).body();
    }

    @Override
    default byte[] reply(byte[] upstreamBody, String requestedModel) {
        return reply(upstreamBody, requestedModel, ReplyContext.NONE);
    }

    @Override
    default EventTranslator stream(String requestedModel) {
        return stream(requestedModel, ReplyContext.NONE);
    }
}
