package io.proxygate.application.port.out;

/**
 * Opens calls to the upstream that serves a credential (ChatGPT backend, OpenAI API, Anthropic API). The adapter
 * owns everything upstream-specific: URL, auth headers, required body rewrites, header allow-lists, SSE scanning.
 */
public interface UpstreamPort {
    /** Starts the exchange without waiting; failures surface from the returned call's methods. */
    UpstreamCall open(UpstreamRequest request);
}
