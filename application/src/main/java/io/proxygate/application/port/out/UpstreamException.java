package io.proxygate.application.port.out;

/** The upstream could not be reached, timed out, or broke the connection. */
public final class UpstreamException extends Exception {
    /** What went wrong, for cooldown decisions and the request log. */
    public enum Kind { CONNECT, TIMEOUT, RESET, PROTOCOL, CANCELLED }

    private final Kind kind;

    public UpstreamException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
