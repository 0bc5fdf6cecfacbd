package io.proxygate.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops, at every level, the loggers that dump raw connection bytes: HttpClient's wire logger and HTTP/2 frame
 * payloads print requests sixteen bytes to a line, in text and in hex, so a token is cut across lines where no
 * masking can recognise it. Header loggers (which print one header per line, masked) stay available.
 */
public final class RawBytesLogFilter extends TurboFilter {
    /** Every denied logger's name starts with this; almost every other logger's does not. */
    private static final String HTTP_COMPONENTS = "org.apache.hc.";
    private static final String[] DENIED = {"org.apache.hc.client5.http.wire", "org.apache.hc.core5.http.wire",
            "org.apache.hc.core5.http2.frame"};

    /**
     * Asked before every logging call, including each {@code isDebugEnabled()} check of the libraries on the request
     * path, so it costs one prefix check for all other loggers and allocates nothing.
     */
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (logger == null) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        if (!name.startsWith(HTTP_COMPONENTS)) {
            return FilterReply.NEUTRAL;
        }
        for (int i = 0; i < DENIED.length; i++) {
            if (name.startsWith(DENIED[i])) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
