package io.proxygate.adapter.out.upstream.pricing;

import io.proxygate.adapter.out.upstream.fetch.BoundedGet;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.application.port.out.PriceSourcePort;
import io.proxygate.domain.usage.PriceTable;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Fetches LiteLLM's price table from {@code [pricing] source}: an {@code https://} (or {@code http://}) URL, or a
 * local file path (also as a {@code file:} URI) for offline installs. The whole answer is bounded in time (30 s)
 * and size (16 MiB).
 */
public final class LiteLlmPriceSource implements PriceSourcePort, AutoCloseable {
    public static final String DEFAULT_URL =
            "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

    private final String location;
    private final URI url;
    private final Path file;
    private final BoundedGet http;
    private final boolean ownsHttp;
    private final Duration timeout;
    private final long maxBytes;

    /** A source with its own HTTP client and the default limits. */
    public LiteLlmPriceSource(String location) {
        this(location, null, DEFAULT_TIMEOUT, DEFAULT_MAX_BYTES);
    }

    /**
     * @param location a URL or a file path
     * @param http     the HTTP client to use, {@code null} to own one (created only for URL sources)
     * @throws IllegalArgumentException when {@code location} is blank or has a scheme other than http, https or file
     */
    public LiteLlmPriceSource(String location, BoundedGet http, Duration timeout, long maxBytes) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("[pricing] source must not be empty");
        }
        this.location = location.trim();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxBytes = maxBytes;
        String lower = this.location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            this.url = URI.create(this.location);
            this.file = null;
        } else if (lower.startsWith("file:")) {
            this.url = null;
            this.file = Path.of(URI.create(this.location));
        } else if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException(
                    "[pricing] source must be an http(s) URL or a file path, not " + this.location);
        } else {
            this.url = null;
            this.file = Path.of(this.location);
        }
        this.ownsHttp = http == null && url != null;
        this.http = http != null ? http : url != null ? new BoundedGet() : null;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public PriceTable fetch() throws PriceSourceException {
        PriceTable table = url != null ? fetchUrl() : readFile();
        if (table.size() == 0) {
            throw new PriceSourceException("no priced models in " + location);
        }
        return table;
    }

    private PriceTable fetchUrl() throws PriceSourceException {
        BoundedGet.Reply reply;
        try {
            reply = http.get(url, Map.of("Accept", "application/json"), timeout, maxBytes);
        } catch (IOException e) {
            throw new PriceSourceException("fetch failed: " + e.getMessage(), e);
        }
        if (reply.status() != 200) {
            throw new PriceSourceException("fetch failed: HTTP " + reply.status());
        }
        return LiteLlmPriceLoader.parse(reply.body());
    }

    private PriceTable readFile() throws PriceSourceException {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new PriceSourceException(file + " is larger than " + maxBytes + " bytes");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return LiteLlmPriceLoader.parse(in);
            }
        } catch (NoSuchFileException e) {
            throw new PriceSourceException(file + " does not exist");
        } catch (IOException e) {
            throw new PriceSourceException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }
}
