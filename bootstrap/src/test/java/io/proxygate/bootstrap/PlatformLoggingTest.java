package io.proxygate.bootstrap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlatformLoggingTest {
    /** The application layer logs through System.Logger; it must reach SLF4J directly, not via JUL and a bridge. */
    @Test
    void systemLoggersAreBackedBySlf4jWithoutJul() {
        System.Logger logger = System.getLogger("io.proxygate.application.proxy.ProxyService");
        assertThat(logger.getClass().getName()).startsWith("org.slf4j.jdk.platform.logging");
    }
}
