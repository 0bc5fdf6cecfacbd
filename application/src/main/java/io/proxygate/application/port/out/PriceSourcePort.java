package io.proxygate.application.port.out;

import io.proxygate.domain.usage.PriceTable;

/** Where fresh model prices come from: LiteLLM's price table over HTTPS, or a local copy of it. */
public interface PriceSourcePort {
    /** The configured URL or file path, for status pages. */
    String location();

    /**
     * Fetches and parses the table, keeping only the models ProxyGate can serve.
     *
     * @throws PriceSourceException with a one-line reason when the source is unreachable, too large, not JSON, or
     *                              holds no priced model
     */
    PriceTable fetch() throws PriceSourceException;
}
