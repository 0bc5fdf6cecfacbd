package io.proxygate.adapter.out.upstream.oauth;

import io.proxygate.application.port.out.BrowserPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opens a URL with the desktop's opener: {@code open} on macOS, {@code xdg-open} on Linux/BSD (only with a display),
 * {@code rundll32} on Windows. No AWT, so it also works in a headless JVM.
 */
public final class DesktopBrowser implements BrowserPort {
    private static final Logger LOG = LoggerFactory.getLogger(DesktopBrowser.class);

    private final String osName;
    private final Map<String, String> env;

    public DesktopBrowser() {
        this(System.getProperty("os.name", ""), System.getenv());
    }

    /** With {@code env} for the opener's lookup ({@code PATH}, {@code DISPLAY}, {@code WAYLAND_DISPLAY}). */
    public DesktopBrowser(Map<String, String> env) {
        this(System.getProperty("os.name", ""), env);
    }

    DesktopBrowser(String osName, Map<String, String> env) {
        this.osName = osName.toLowerCase(Locale.ROOT);
        this.env = env;
    }

    @Override
    public boolean open(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return false; // never hand anything else to a shell opener
        }
        Optional<List<String>> command = command(url.toString());
        if (command.isEmpty()) {
            return false;
        }
        try {
            Process process = new ProcessBuilder(command.get())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // Openers return at once after handing off; a quick non-zero exit means no browser was found.
            if (process.waitFor(3, TimeUnit.SECONDS)) {
                return process.exitValue() == 0;
            }
            return true;
        } catch (Exception e) {
            LOG.debug("could not start {}: {}", command.get().getFirst(), e.toString());
            return false;
        }
    }

    Optional<List<String>> command(String url) {
        if (osName.contains("mac") || osName.contains("darwin")) {
            return onPath("open").map(open -> List.of(open, url));
        }
        if (osName.contains("win")) {
            return Optional.of(List.of("rundll32", "url.dll,FileProtocolHandler", url));
        }
        boolean display = !env.getOrDefault("DISPLAY", "").isBlank()
                || !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
        if (!display) {
            return Optional.empty();
        }
        return onPath("xdg-open").map(open -> List.of(open, url));
    }

    private Optional<String> onPath(String program) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            File candidate = new File(dir, program);
            if (candidate.isFile() && candidate.canExecute()) {
                return Optional.of(candidate.getAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
