package io.proxygate.application.proxy;

/** Relays one client request to the best pooled credential, failing over before the first byte. */
public interface ProxyUseCase {
    /**
     * Tries candidates in order until one upstream answers with something to relay.
     *
     * @throws ProxyFailure when nothing can serve the request (no credential, all exhausted, all failed)
     */
    ProxyExchange open(ProxyCommand command);
}
