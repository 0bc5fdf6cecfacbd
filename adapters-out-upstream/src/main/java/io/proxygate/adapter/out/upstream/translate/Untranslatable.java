package io.proxygate.adapter.out.upstream.translate;

/** A request that cannot be expressed in the other protocol (e.g. a vendor's server-side tool); refused, never dropped. */
public final class Untranslatable extends Exception {
    public Untranslatable(String message) {
        super(message);
    }
}
