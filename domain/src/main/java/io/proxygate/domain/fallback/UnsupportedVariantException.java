package io.proxygate.domain.fallback;

/** A target variant that cannot be applied to a request ({@code unsupported claude variant "..."}). */
public final class UnsupportedVariantException extends RuntimeException {
    public UnsupportedVariantException(String message) {
        super(message);
    }
}
