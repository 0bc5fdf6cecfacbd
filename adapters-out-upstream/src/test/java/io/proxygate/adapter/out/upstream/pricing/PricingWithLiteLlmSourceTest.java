package io.proxygate.adapter.out.upstream.pricing;

import com.sun.net.httpserver.HttpServer;
import io.proxygate.application.port.out.PriceSourceException;
import io.proxygate.application.usage.PriceOrigin;
import io.proxygate.application.usage.PricingService;
import io.proxygate.application.usage.PricingStatus;
import io.proxygate.domain.usage.PriceTable;
import io.proxygate.domain.usage.TokenUsage;
import io.proxygate.domain.usage.UsageConvention;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pricing service against a real HTTP server serving LiteLLM's real file, with the cache in a temp dir. */
class PricingWithLiteLlmSourceTest {
    private static final Instant T0 = Instant.parse("2026-07-24T10:00:00Z");
    private static final TokenUsage MILLION_IN = new TokenUsage(1_000_000, 0, 0, 0, 0);

    @TempDir
    Path dataDir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile byte[] body;
    private final CountDownLatch releaseHangingRequest = new CountDownLatch(1);
    private volatile boolean hang;
    private LiteLlmPriceSource source;

    @BeforeEach
    void startServer() throws IOException {
        body = Files.readAllBytes(TestData.litellm("model_prices_and_context_window.json"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/prices.json", exchange -> {
            requests.incrementAndGet();
            if (hang) {
                try {
                    releaseHangingRequest.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = body;
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            } catch (IOException ignored) {
                // the client gave up (timeout test)
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        releaseHangingRequest.countDown();
        if (source != null) {
            source.close();
        }
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/prices.json";
    }

    private PricingService pricing(LiteLlmPriceSource src) {
        return new PricingService(src, new FilePriceCache(dataDir), LiteLlmPriceLoader.builtIn(),
                InstantSource.fixed(T0));
    }

    @Test
    void refreshLoadsTheRealFileOverHttpAndCachesIt() {
        source = new LiteLlmPriceSource(url());
        try (PricingService pricing = pricing(source)) {
            assertThat(pricing.status().origin()).isEqualTo(PriceOrigin.EMBEDDED);
            PricingStatus status = pricing.refresh();
            assertThat(status.origin()).isEqualTo(PriceOrigin.LITELLM);
            assertThat(status.modelsCount()).isEqualTo(LiteLlmPriceLoaderTest.PRICED_ENTRIES);
            assertThat(status.url()).isEqualTo(url());
            assertThat(status.lastError()).isEmpty();
            assertThat(pricing.estimate("gpt-5", Optional.of("priority"), MILLION_IN, UsageConvention.OPENAI))
                    .hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("2.5"));
        }
        assertThat(dataDir.resolve(FilePriceCache.FILE_NAME)).isRegularFile();
    }

    @Test
    void restartedServiceUsesTheCacheBeforeAnyFetch() {
        source = new LiteLlmPriceSource(url());
        try (PricingService first = pricing(source)) {
            first.refresh();
        }
        assertThat(requests).hasValue(1);

        status = 500;
        try (PricingService restarted = pricing(new LiteLlmPriceSource(url()))) {
            PricingStatus status = restarted.status();
            assertThat(status.origin()).isEqualTo(PriceOrigin.CACHE);
            assertThat(status.modelsCount()).isEqualTo(LiteLlmPriceLoaderTest.PRICED_ENTRIES);
            assertThat(status.fetchedAt()).contains(T0);
            // priced from the cached table, before any fetch
            assertThat(restarted.estimate("claude-opus-4-6-20260205", Optional.empty(), MILLION_IN,
                    UsageConvention.ANTHROPIC)).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("5"));
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void failedRefreshKeepsTheOldTableAndRecordsTheError() {
        source = new LiteLlmPriceSource(url());
        try (PricingService pricing = pricing(source)) {
            pricing.refresh();
            status = 503;
            body = "upstream sad".getBytes(StandardCharsets.UTF_8);
            PricingStatus after = pricing.refresh();
            assertThat(after.origin()).isEqualTo(PriceOrigin.LITELLM);
            assertThat(after.modelsCount()).isEqualTo(LiteLlmPriceLoaderTest.PRICED_ENTRIES);
            assertThat(after.lastError()).contains("fetch failed: HTTP 503");
            assertThat(pricing.estimate("claude-opus-4-6-20260205", Optional.empty(), MILLION_IN,
                    UsageConvention.ANTHROPIC)).isPresent();
        }
    }

    @Test
    void answerThatIsNotJsonIsAFailedRefresh() {
        body = "<html>rate limited</html>".getBytes(StandardCharsets.UTF_8);
        source = new LiteLlmPriceSource(url());
        try (PricingService pricing = pricing(source)) {
            PricingStatus status = pricing.refresh();
            assertThat(status.origin()).isEqualTo(PriceOrigin.EMBEDDED);
            assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("not valid JSON"));
        }
        assertThat(dataDir.resolve(FilePriceCache.FILE_NAME)).doesNotExist();
    }

    @Test
    void bodyOverTheSizeCapIsRejected() {
        source = new LiteLlmPriceSource(url(), null, Duration.ofSeconds(10), 1024 * 1024);
        assertThatThrownBy(source::fetch).isInstanceOf(PriceSourceException.class)
                .hasMessageContaining("larger than 1048576 bytes");
    }

    @Test
    void slowServerTimesOut() {
        hang = true;
        source = new LiteLlmPriceSource(url(), null, Duration.ofMillis(500), LiteLlmPriceSource.DEFAULT_MAX_BYTES);
        assertThatThrownBy(source::fetch).isInstanceOf(PriceSourceException.class)
                .hasMessageContaining("no complete answer within");
    }

    @Test
    void validJsonWithoutUsableModelsIsRejected() {
        body = "{\"last_updated\": \"x\", \"dall-e-3\": {\"litellm_provider\": \"openai\", \"mode\": \"image_generation\", \"input_cost_per_pixel\": 1e-5}}"
                .getBytes(StandardCharsets.UTF_8);
        source = new LiteLlmPriceSource(url());
        assertThatThrownBy(source::fetch).isInstanceOf(PriceSourceException.class)
                .hasMessageContaining("no priced models");
    }

    @Test
    void readsALocalFileByPathOrFileUri() throws PriceSourceException {
        Path file = TestData.litellm("model_prices_and_context_window.json");
        try (LiteLlmPriceSource byPath = new LiteLlmPriceSource(file.toString());
             LiteLlmPriceSource byUri = new LiteLlmPriceSource(file.toUri().toString())) {
            PriceTable a = byPath.fetch();
            PriceTable b = byUri.fetch();
            assertThat(a.size()).isEqualTo(LiteLlmPriceLoaderTest.PRICED_ENTRIES);
            assertThat(b.entries().keySet()).isEqualTo(a.entries().keySet());
        }
        assertThat(requests).hasValue(0);
    }

    @Test
    void missingLocalFileIsAFailureNotACrash() {
        try (LiteLlmPriceSource missing = new LiteLlmPriceSource(dataDir.resolve("nope.json").toString())) {
            assertThatThrownBy(missing::fetch).isInstanceOf(PriceSourceException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void unsupportedSchemesAndBlankSourcesAreRejectedAtConstruction() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LiteLlmPriceSource("ftp://example.test/p.json"))
                .withMessageContaining("[pricing] source");
        assertThatIllegalArgumentException().isThrownBy(() -> new LiteLlmPriceSource(" "))
                .withMessageContaining("[pricing] source");
    }

    @Test
    void defaultSourceIsLiteLlmsGithubFile() {
        assertThat(LiteLlmPriceSource.DEFAULT_URL)
                .isEqualTo("https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json");
        assertThat(LiteLlmPriceSource.DEFAULT_MAX_BYTES).isEqualTo(16L * 1024 * 1024);
        assertThat(LiteLlmPriceSource.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    }
}
