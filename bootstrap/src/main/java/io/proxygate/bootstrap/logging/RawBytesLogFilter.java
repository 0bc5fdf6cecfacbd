package io.proxygate.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

import java.util.List;

/**
 * Drops, at every level, the loggers that dump raw connection bytes: HttpClient's wire logger and HTTP/2 frame
 * payloads print requests sixteen bytes to a line, in text and in hex, so a token is cut across lines where no
 * masking can recognise it. Header loggers (which print one header per line, masked) stay available.
 */
public final class RawBytesLogFilter extends TurboFilter {
    static final List<String> DENIED = List.of("org.apache.hc.client5.http.wire", "org.apache.hc.core5.http.wire",
            "org.apache.hc.core5.http2.frame");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (logger == null) {
            return FilterReply.NEUTRAL;
        }
        String name = logger.getName();
        for (String denied : DENIED) {
            if (name.startsWith(denied)) {
                return FilterReply.DENY;
            }
        }
        return FilterReply.NEUTRAL;
    }
}
