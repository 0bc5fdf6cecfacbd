package io.proxygate.adapter.out.upstream.oauth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DesktopBrowserTest {
    @TempDir
    Path bin;

    private Path fakeOpener(String name, int exitCode) throws IOException {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\nexit " + exitCode + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void linuxWithoutADisplayHasNoBrowser() throws IOException {
        fakeOpener("xdg-open", 0);
        DesktopBrowser browser = new DesktopBrowser("Linux", Map.of("PATH", bin.toString()));
        assertThat(browser.command("https://example.test")).isEmpty();
        assertThat(browser.open(URI.create("https://example.test"))).isFalse();
    }

    @Test
    void linuxWithADisplayUsesXdgOpenAndReportsItsExitCode() throws IOException {
        Path ok = fakeOpener("xdg-open", 0);
        DesktopBrowser browser = new DesktopBrowser("Linux", Map.of("PATH", bin.toString(), "DISPLAY", ":0"));
        assertThat(browser.command("https://example.test")).contains(List.of(ok.toString(), "https://example.test"));
        assertThat(browser.open(URI.create("https://example.test"))).isTrue();

        fakeOpener("xdg-open", 3);
        assertThat(browser.open(URI.create("https://example.test"))).isFalse();
    }

    @Test
    void macUsesOpen() throws IOException {
        Path open = fakeOpener("open", 0);
        DesktopBrowser browser = new DesktopBrowser("Mac OS X", Map.of("PATH", bin.toString()));
        assertThat(browser.command("https://example.test")).contains(List.of(open.toString(), "https://example.test"));
    }

    @Test
    void onlyWebUrlsAreOpened() throws IOException {
        fakeOpener("xdg-open", 0);
        DesktopBrowser browser = new DesktopBrowser("Linux", Map.of("PATH", bin.toString(), "DISPLAY", ":0"));
        assertThat(browser.open(URI.create("file:///etc/passwd"))).isFalse();
    }
}
