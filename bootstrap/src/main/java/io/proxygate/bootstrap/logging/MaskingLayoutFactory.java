package io.proxygate.bootstrap.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.pattern.PatternLayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.logging.common.layout.DropwizardLayoutFactory;

import java.util.TimeZone;

/**
 * Dropwizard's usual log layout, with every formatted line (message, arguments, stack traces) passed through
 * {@link SecretMasking} before it reaches an appender; also installs {@link RawBytesLogFilter}.
 */
@JsonTypeName("proxygate-masking")
public final class MaskingLayoutFactory implements DiscoverableLayoutFactory<ILoggingEvent> {
    @Override
    public LayoutBase<ILoggingEvent> build(LoggerContext context, TimeZone timeZone) {
        // Installed with the layout so that every way of configuring logging (the server, the tests) gets both.
        if (context.getTurboFilterList().stream().noneMatch(RawBytesLogFilter.class::isInstance)) {
            RawBytesLogFilter filter = new RawBytesLogFilter();
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
        PatternLayoutBase<ILoggingEvent> inner = new DropwizardLayoutFactory().build(context, timeZone);
        return new MaskingLayout(inner);
    }

    /** Formats with the wrapped layout, then masks. */
    static final class MaskingLayout extends LayoutBase<ILoggingEvent> {
        private final LayoutBase<ILoggingEvent> inner;

        MaskingLayout(LayoutBase<ILoggingEvent> inner) {
            this.inner = inner;
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            return SecretMasking.mask(inner.doLayout(event));
        }

        @Override
        public void start() {
            inner.start();
            super.start();
        }

        @Override
        public void stop() {
            inner.stop();
            super.stop();
        }

        @Override
        public String getFileHeader() {
            return inner.getFileHeader();
        }

        @Override
        public String getPresentationHeader() {
            return inner.getPresentationHeader();
        }
    }
}
