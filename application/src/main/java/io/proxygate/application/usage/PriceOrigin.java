package io.proxygate.application.usage;

import java.util.Locale;

/** Where the prices in use came from. */
public enum PriceOrigin {
    /** The LiteLLM snapshot built into the jar. */
    EMBEDDED,
    /** A fetch from the configured source during this run. */
    LITELLM,
    /** The last good fetch of an earlier run, read from the cache file. */
    CACHE;

    /** {@code embedded}, {@code litellm} or {@code cache}, as {@code /admin/pricing/status} spells it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
