package io.proxygate.adapter.out.upstream.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxygate.application.port.out.PriceCachePort;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.domain.usage.PriceTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the last good price table in {@code <data_dir>/pricing-cache.json}:
 * {@code {"fetched_at": "<RFC 3339>", "source": "<url or path>", "models": {"<model>": {LiteLLM price fields}}}}.
 * Writes are atomic (temporary file in the same folder, then rename); a missing or broken file reads as "no cache".
 */
public final class FilePriceCache implements PriceCachePort {
    public static final String FILE_NAME = "pricing-cache.json";
    private static final Logger LOG = LoggerFactory.getLogger(FilePriceCache.class);

    private final Path file;

    /** The cache file {@value #FILE_NAME} inside {@code dataDir}. */
    public FilePriceCache(Path dataDir) {
        this.file = Objects.requireNonNull(dataDir, "dataDir").resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<CachedPrices> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = LiteLlmPriceLoader.mapper().readTree(file.toFile());
            Instant fetchedAt = Instant.parse(root.path("fetched_at").asText());
            PriceTable table = LiteLlmPriceLoader.parseEntries(root.get("models"));
            return Optional.of(new CachedPrices(table, fetchedAt, root.path("source").asText("")));
        } catch (IOException | PriceSourceException | DateTimeParseException e) {
            LOG.warn("ignoring unreadable price cache {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void save(CachedPrices prices) throws IOException {
        ObjectNode root = LiteLlmPriceLoader.mapper().createObjectNode();
        root.put("fetched_at", prices.fetchedAt().toString());
        root.put("source", prices.source());
        root.set("models", LiteLlmPriceLoader.toJson(prices.table()));
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp");
        try {
            LiteLlmPriceLoader.mapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
