package io.proxygate.adapter.out.upstream.pricing;

import io.proxygate.application.port.out.PriceCachePort.CachedPrices;
import io.proxygate.domain.usage.PriceTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FilePriceCacheTest {
    @TempDir
    Path dataDir;

    @Test
    void savedTableLoadsBackWithItsMetadata() throws IOException {
        PriceTable table = LiteLlmPriceLoader.builtIn();
        Instant fetchedAt = Instant.parse("2026-07-24T10:00:00Z");
        new FilePriceCache(dataDir.resolve("nested")).save(new CachedPrices(table, fetchedAt, "https://x.test/p.json"));

        CachedPrices loaded = new FilePriceCache(dataDir.resolve("nested")).load().orElseThrow();
        assertThat(loaded.fetchedAt()).isEqualTo(fetchedAt);
        assertThat(loaded.source()).isEqualTo("https://x.test/p.json");
        assertThat(loaded.table().entries().keySet()).isEqualTo(table.entries().keySet());
        assertThat(loaded.table().lookup("gpt-5").orElseThrow().priority().input()).isEqualByComparingTo("2.5e-6");
        try (var files = Files.list(dataDir.resolve("nested"))) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(FilePriceCache.FILE_NAME);
        }
    }

    @Test
    void missingOrBrokenCacheReadsAsNoCache() throws IOException {
        FilePriceCache cache = new FilePriceCache(dataDir);
        assertThat(cache.load()).isEmpty();
        Files.writeString(cache.file(), "{\"fetched_at\": \"yesterday\", \"models\": {}}");
        assertThat(cache.load()).isEmpty();
        Files.writeString(cache.file(), "{not json");
        assertThat(cache.load()).isEmpty();
    }
}
