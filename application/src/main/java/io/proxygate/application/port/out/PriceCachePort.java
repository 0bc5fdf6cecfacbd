package io.proxygate.application.port.out;

import io.proxygate.domain.usage.PriceTable;

import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Keeps the last successfully fetched price table across restarts ({@code <data_dir>/pricing-cache.json}). */
public interface PriceCachePort {
    /** A fetched table, when it was fetched and from where. */
    record CachedPrices(PriceTable table, Instant fetchedAt, String source) {
        public CachedPrices {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(fetchedAt, "fetchedAt");
            source = source == null ? "" : source;
        }
    }

    /** The cached table; empty when there is none or it cannot be read (a broken cache is never fatal). */
    Optional<CachedPrices> load();

    /** Replaces the cache atomically. */
    void save(CachedPrices prices) throws IOException;

    /** For callers that do not want a cache. */
    PriceCachePort NONE = new PriceCachePort() {
        @Override
        public Optional<CachedPrices> load() {
            return Optional.empty();
        }

        @Override
        public void save(CachedPrices prices) {
        }
    };
}
