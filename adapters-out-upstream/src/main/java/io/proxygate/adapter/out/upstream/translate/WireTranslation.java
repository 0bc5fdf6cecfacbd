package io.proxygate.adapter.out.upstream.translate;

/**
 * One direction of translation between two wire protocols: the client speaks {@code from}, the served credential's
 * upstream speaks {@code to}. Stateless and thread-safe; a stream gets its own {@link EventTranslator}.
 */
public interface WireTranslation {
    /** The client's request body (JSON) as the upstream's request body (JSON), asking for {@code servedModel}. */
    byte[] request(byte[] clientBody, String servedModel) throws Untranslatable;

    /** The upstream's non-streamed reply (JSON) as the client's reply (JSON); {@code requestedModel} is echoed. */
    byte[] reply(byte[] upstreamBody, String requestedModel);

    /** An upstream error (status and body) as an error body in the client's own shape. */
    byte[] error(int status, byte[] upstreamBody);

    /** A fresh translator for one streamed reply. */
    EventTranslator stream(String requestedModel);
}
