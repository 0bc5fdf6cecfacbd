package io.proxygate.adapter.out.upstream;

/**
 * The User-Agent of the calls ProxyGate makes on its own behalf (token refreshes, usage polls, profile and price
 * fetches): {@code ProxyGate/<version>}, so a provider can tell who is calling. The version is the jar manifest's
 * {@code Implementation-Version}; classes run outside the jar (tests, IDE) say {@code dev}.
 */
public final class ProxyGateUserAgent {
    public static final String VALUE = "ProxyGate/" + version();

    private ProxyGateUserAgent() {
    }

    private static String version() {
        String v = ProxyGateUserAgent.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v.trim();
    }
}
