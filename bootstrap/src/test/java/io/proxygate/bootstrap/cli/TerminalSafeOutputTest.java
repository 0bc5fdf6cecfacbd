package io.proxygate.bootstrap.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalSafeOutputTest {

    private static String through(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream safe = TerminalSafeOutput.wrap(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        safe.print(text);
        safe.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void escapeSequencesLeaveAsVisibleText() {
        assertThat(through("a\u001b[2Jb\u001b]0;title\u0007c\rd\u0000e\u007f"))
                .isEqualTo("a\\u001b[2Jb\\u001b]0;title\\u0007c\\u000dd\\u0000e\\u007f");
    }

    @Test
    void c1ControlsAndBidiOverridesAreEscaped() {
        assertThat(through("x\u009b31my")).isEqualTo("x\\u009b31my");
        assertThat(through("admin\u202egro.live@x")).isEqualTo("admin\\u202egro.live@x");
        assertThat(through("\u2066iso\u2069")).isEqualTo("\\u2066iso\\u2069");
    }

    @Test
    void ordinaryTextTabsNewlinesAndNonAsciiPassUnchanged() {
        String text = "name\tplan\nJosé — 中文 ✓ 😀 \u00a0 ©\n";
        assertThat(through(text)).isEqualTo(text);
    }
}
