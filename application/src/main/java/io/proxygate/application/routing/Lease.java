package io.proxygate.application.routing;

/** An in-flight slot on a credential. Closing releases it; closing twice is harmless. */
public interface Lease extends AutoCloseable {
    @Override
    void close();
}
