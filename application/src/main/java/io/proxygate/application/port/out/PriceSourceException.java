package io.proxygate.application.port.out;

/** A price fetch failed; the message is one line fit for a status page. */
public final class PriceSourceException extends Exception {
    public PriceSourceException(String message) {
        super(message);
    }

    public PriceSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
