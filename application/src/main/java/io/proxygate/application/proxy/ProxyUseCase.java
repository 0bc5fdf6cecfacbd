package io.proxygate.application.proxy;

/** Relays one client request to the best pooled credential, failing over before the first byte. */
public interface ProxyUseCase {
    /**
     * Tries candidates in order until one upstream answers with something to relay.
     *
     * @throws ProxyFailure when nothing can serve the request (no credential, all exhausted, all failed)
     */
    ProxyExchange open(ProxyCommand command);

    /**
     * Like {@link #open(ProxyCommand)}; {@code whileWaiting} runs every few seconds while the request waits in line
     * for a busy credential ({@code [routing] queue_timeout}), so a streamed request can keep its client informed.
     */
    default ProxyExchange open(ProxyCommand command, Runnable whileWaiting) {
        return open(command);
    }

    /**
     * Records a request its client key's rules refused before any routing (a model or route outside them, a budget,
     * rate or concurrency limit), so the request log shows what the team was refused and why. Default: nothing.
     */
    default void refused(ProxyCommand command, ProxyFailure refusal) {
    }
}
