package io.proxygate.application.port.out;

import java.net.URI;

/** Opens a URL in the user's browser. */
public interface BrowserPort {
    /** Returns false when no browser could be started (headless machine, no opener command). */
    boolean open(URI url);

    /** For servers and tests: never opens anything, so the URL is always shown to the user instead. */
    BrowserPort NONE = url -> false;
}
