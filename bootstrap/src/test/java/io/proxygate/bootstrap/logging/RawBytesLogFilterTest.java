package io.proxygate.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class RawBytesLogFilterTest {
    private final LoggerContext context = new LoggerContext();
    private final RawBytesLogFilter filter = new RawBytesLogFilter();

    @ParameterizedTest
    @ValueSource(strings = {"org.apache.hc.client5.http.wire", "org.apache.hc.core5.http.wire",
            "org.apache.hc.core5.http2.frame", "org.apache.hc.core5.http2.frame.payload"})
    void rawByteLoggersAreDeniedAtEveryLevel(String name) {
        for (Level level : new Level[]{Level.TRACE, Level.DEBUG, Level.INFO, Level.ERROR}) {
            assertThat(filter.decide(null, context.getLogger(name), level, "x", null, null)).isEqualTo(FilterReply.DENY);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.apache.hc.client5.http.headers", "org.apache.hc.core5.http2.hpack",
            "org.eclipse.jetty.server", "io.proxygate.application.proxy.ProxyService", "org.apache.hc"})
    void otherLoggersAreLeftToTheirLevels(String name) {
        assertThat(filter.decide(null, context.getLogger(name), Level.DEBUG, "x", null, null))
                .isEqualTo(FilterReply.NEUTRAL);
    }
}
