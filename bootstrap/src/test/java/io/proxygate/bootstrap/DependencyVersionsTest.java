package io.proxygate.bootstrap;

import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Versions of third-party code that a vulnerability scanner would flag if Dropwizard's own pins won. */
class DependencyVersionsTest {

    @Test
    void runsAJettyPastCve2026_1605() {
        // 12.1.5 (Dropwizard 5.0.1's pin) is in the affected range; 12.1.14 is not.
        assertThat(patchOf(Jetty.VERSION, "12.1.")).isGreaterThanOrEqualTo(14);
    }

    @Test
    void noLongerShipsTheUnmaintainedBrotliDecoder() {
        assertThat(getClass().getClassLoader().getResource("org/brotli/dec/BrotliInputStream.class")).isNull();
        assertThat(getClass().getClassLoader().getResource("com/aayushatharva/brotli4j/decoder/BrotliInputStream.class"))
                .isNotNull();
    }

    private static int patchOf(String version, String prefix) {
        assertThat(version).startsWith(prefix);
        String rest = version.substring(prefix.length());
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
            end++;
        }
        return Integer.parseInt(rest.substring(0, end));
    }
}
