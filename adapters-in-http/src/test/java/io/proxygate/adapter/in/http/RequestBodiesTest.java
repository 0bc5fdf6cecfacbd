package io.proxygate.adapter.in.http;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a request body once: the decoded copy for routing, the wire bytes kept for the upstream. */
class RequestBodiesTest {
    private static final byte[] JSON = "{\"model\":\"gpt-5\",\"input\":[],\"stream\":true}".getBytes(StandardCharsets.UTF_8);

    private static RequestBodies.Read read(byte[] wire, String encoding, long limit) throws IOException {
        return RequestBodies.read(new ByteArrayInputStream(wire), encoding, limit, wire.length);
    }

    @BeforeAll
    static void loadBrotli() {
        Brotli4jLoader.ensureAvailability();
    }

    @Test
    void decodesBrotliBodiesWithTheMaintainedDecoder() throws Exception {
        byte[] packed = Encoder.compress(JSON);

        assertThat(read(packed, "br", 1 << 20).decoded()).isEqualTo(JSON);
    }

    @Test
    void refusesACorruptBrotliBodyWith400() {
        byte[] garbage = "definitely not brotli".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> read(garbage, "br", 1 << 20)).isInstanceOf(RequestBodies.BadRequest.class);
    }

    @Test
    void refusesAnOversizedBrotliBodyWith413() throws Exception {
        byte[] packed = Encoder.compress(new byte[64 * 1024]);

        assertThatThrownBy(() -> read(packed, "br", 1024)).isInstanceOf(RequestBodies.PayloadTooLarge.class);
    }

    @Test
    void aZstdBodyIsDecodedOnceAndItsWireBytesAreKeptAsSent() throws IOException {
        byte[] wire = Zstd.compress(JSON);

        RequestBodies.Read body = read(wire, "zstd", 1 << 20);

        assertThat(body.decoded()).isEqualTo(JSON);
        assertThat(body.encoded()).hasValueSatisfying(e -> {
            assertThat(e.contentEncoding()).isEqualTo("zstd");
            assertThat(e.bytes()).isEqualTo(wire);
        });
    }

    @Test
    void aGzipBodyKeepsEveryWireByteIncludingWhatFollowsTheStream() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(JSON);
        }
        byte[] wire = gz.toByteArray();

        RequestBodies.Read body = read(wire, " GZIP ", 1 << 20);

        assertThat(body.decoded()).isEqualTo(JSON);
        assertThat(body.encoded().orElseThrow().contentEncoding()).isEqualTo("gzip");
        assertThat(body.encoded().orElseThrow().bytes()).isEqualTo(wire);
    }

    @Test
    void aPlainBodyHasNoEncodedCopy() throws IOException {
        RequestBodies.Read body = read(JSON, "identity", 1 << 20);

        assertThat(body.decoded()).isEqualTo(JSON);
        assertThat(body.encoded()).isEmpty();
    }

    @Test
    void theLimitAppliesToTheDecodedSize() {
        byte[] bomb = Zstd.compress(new byte[4 << 20]);
        assertThat(bomb.length).isLessThan(1 << 20);

        assertThatThrownBy(() -> read(bomb, "zstd", 1 << 20)).isInstanceOf(RequestBodies.PayloadTooLarge.class);
    }

    @Test
    void aBrokenFrameIsABadRequest() {
        byte[] wire = Zstd.compress(JSON);
        wire[wire.length - 2] ^= 0x5A;
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length / 2);

        assertThatThrownBy(() -> read(cut, "zstd", 1 << 20)).isInstanceOf(RequestBodies.BadRequest.class);
    }

    @Test
    void aPlainBodyUpToTheLimitPassesAndOneByteMoreIs413() throws IOException {
        byte[] atLimit = new byte[1024];

        assertThat(read(atLimit, null, 1024).decoded()).hasSize(1024);
        assertThatThrownBy(() -> read(new byte[1025], "", 1024))
                .isInstanceOfSatisfying(RequestBodies.PayloadTooLarge.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).isEqualTo("request body larger than 1024 bytes");
                });
    }

    @Test
    void aBodyWithoutContentLengthIsReadToItsEndAndStillLimited() throws IOException {
        byte[] big = new byte[100_000];
        java.util.Arrays.fill(big, (byte) 'a');

        assertThat(RequestBodies.read(new ByteArrayInputStream(big), null, 1 << 20, -1).decoded()).isEqualTo(big);
        assertThatThrownBy(() -> RequestBodies.read(new ByteArrayInputStream(big), null, 1000, -1))
                .isInstanceOf(RequestBodies.PayloadTooLarge.class);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsReadUpToTheLimitBeforeTheRefusal() {
        // Refusing before reading would leave the upload unread, and the connection reset before the 413 arrives.
        ByteArrayInputStream upload = new ByteArrayInputStream(new byte[64 * 1024]);

        assertThatThrownBy(() -> RequestBodies.read(upload, null, 16 * 1024, 64 * 1024))
                .isInstanceOf(RequestBodies.PayloadTooLarge.class);
        assertThat(64 * 1024 - upload.available()).isGreaterThan(16 * 1024);
    }

    @Test
    void aBodyShorterThanItsContentLengthIsABadRequest() {
        assertThatThrownBy(() -> RequestBodies.read(new ByteArrayInputStream(JSON), null, 1 << 20, JSON.length + 10))
                .isInstanceOfSatisfying(RequestBodies.BadRequest.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("shorter than its Content-Length");
                });
    }

    @Test
    void anEmptyBodyIsEmpty() throws IOException {
        assertThat(read(new byte[0], null, 1024).decoded()).isEmpty();
        assertThat(RequestBodies.read(new ByteArrayInputStream(new byte[0]), null, 1024, -1).decoded()).isEmpty();
    }

    @Test
    void deflateAndXGzipBodiesAreDecodedAndKeepTheirWireBytes() throws IOException {
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(deflated)) {
            out.write(JSON);
        }
        byte[] gzipped = gzip(JSON);

        RequestBodies.Read deflate = read(deflated.toByteArray(), "deflate", 1 << 20);
        RequestBodies.Read xGzip = read(gzipped, "x-gzip", 1 << 20);

        assertThat(deflate.decoded()).isEqualTo(JSON);
        assertThat(deflate.encoded().orElseThrow().bytes()).isEqualTo(deflated.toByteArray());
        assertThat(xGzip.decoded()).isEqualTo(JSON);
        assertThat(xGzip.encoded().orElseThrow().contentEncoding()).isEqualTo("x-gzip");
    }

    @Test
    void anUnsupportedOrStackedEncodingIsABadRequestNamingIt() {
        for (String encoding : new String[]{"compress", "gzip, br", "snappy"}) {
            assertThatThrownBy(() -> read(JSON, encoding, 1 << 20)).as(encoding)
                    .isInstanceOfSatisfying(RequestBodies.BadRequest.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("unsupported Content-Encoding: " + encoding);
                    });
        }
    }

    @Test
    void plainBytesLabelledGzipOrDeflateAreABadRequest() {
        assertThatThrownBy(() -> read(JSON, "gzip", 1 << 20))
                .isInstanceOfSatisfying(RequestBodies.BadRequest.class, e ->
                        assertThat(e.getMessage()).isEqualTo("invalid request body: cannot decode gzip content"));
        assertThatThrownBy(() -> read(JSON, "deflate", 1 << 20)).isInstanceOf(RequestBodies.BadRequest.class);
    }

    @Test
    void aTruncatedGzipBodyIsABadRequest() throws IOException {
        byte[] wire = gzip(JSON);
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 6);

        assertThatThrownBy(() -> read(cut, "gzip", 1 << 20)).isInstanceOf(RequestBodies.BadRequest.class);
    }

    @Test
    void theWireSizeIsLimitedTooWhenItExceedsTheDecodedOne() throws IOException {
        // Random bytes do not compress: the gzip stream is larger than what it decodes to.
        byte[] noise = new byte[8 * 1024];
        new java.util.Random(42).nextBytes(noise);
        byte[] wire = gzip(noise);
        assertThat(wire.length).isGreaterThan(noise.length);

        assertThatThrownBy(() -> read(wire, "gzip", noise.length)).isInstanceOf(RequestBodies.PayloadTooLarge.class);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(content);
        }
        return gz.toByteArray();
    }

    /**
     * A zstd frame may declare a 128 MiB window whatever its size; the native decoder maps that much at once and
     * unmaps it only when closed. A hundred such bodies must not leave a hundred windows mapped.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void decodersAreClosedSoLargeDeclaredWindowsDoNotPileUp() throws IOException {
        byte[] frame = zstdFrameWithWindowLog27("{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(read(frame, "zstd", 1 << 20).decoded()).isEqualTo("{}".getBytes(StandardCharsets.US_ASCII));
        long before = virtualMemoryKib();

        for (int i = 0; i < 100; i++) {
            assertThat(read(frame, "zstd", 1 << 20).decoded()).hasSize(2);
        }

        long grownMib = (virtualMemoryKib() - before) / 1024;
        // Unclosed, the 100 windows alone add 12.5 GiB.
        assertThat(grownMib).isLessThan(1024);
    }

    /** Magic, a descriptor without content size, window descriptor 2^27, one raw last block. */
    private static byte[] zstdFrameWithWindowLog27(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD});
        out.write(0x00);
        out.write((27 - 10) << 3);
        int blockHeader = (content.length << 3) | 1;
        out.write(blockHeader & 0xFF);
        out.write((blockHeader >> 8) & 0xFF);
        out.write((blockHeader >> 16) & 0xFF);
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static long virtualMemoryKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmSize:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmSize in /proc/self/status");
    }
}
