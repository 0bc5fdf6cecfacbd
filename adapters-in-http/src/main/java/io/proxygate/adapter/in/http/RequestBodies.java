package io.proxygate.adapter.in.http;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.proxygate.application.http.EncodedBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Reads a request body once, decoding its Content-Encoding, refusing bodies over the limit (413). An encoded body is
 * kept twice: the wire bytes, for an upstream that accepts the same encoding, and the decoded copy, which routing
 * reads and rewrites work on. The limit applies to the decoded size (and, as a bound on memory, to the wire size).
 */
final class RequestBodies {
    private RequestBodies() {
    }

    /**
     * A body as read.
     *
     * @param decoded the body with its Content-Encoding undone
     * @param encoded the wire bytes and their encoding, when the client sent the body encoded
     */
    record Read(byte[] decoded, Optional<EncodedBody> encoded) {
    }

    /** {@code declaredLength} is the Content-Length (-1 when absent), used only to size the buffer. */
    static Read read(InputStream raw, String contentEncoding, long limit, long declaredLength) throws IOException {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (encoding.isEmpty() || encoding.equals("identity")) {
            return new Read(readPlain(raw, limit, declaredLength), Optional.empty());
        }
        WireCopy wire = new WireCopy(raw, limit, declaredLength);
        byte[] decoded;
        // Closed here, not left to the garbage collector: a zstd frame may declare a window of up to 128 MiB, which
        // the native decoder allocates at once and frees only on close.
        try (InputStream in = decoder(encoding, wire)) {
            decoded = drain(in, limit, encoding);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new BadRequest("invalid request body: cannot decode " + encoding + " content");
        } catch (IOException e) {
            throw new BadRequest("invalid request body: cannot decode " + encoding + " content");
        }
        // Bytes after the end of the encoded stream are still part of what the client sent.
        wire.drainRest();
        return new Read(decoded, Optional.of(new EncodedBody(encoding, wire.bytes())));
    }

    private static InputStream decoder(String encoding, InputStream wire) throws IOException {
        return switch (encoding) {
            case "gzip", "x-gzip" -> new GZIPInputStream(wire);
            case "deflate" -> new InflaterInputStream(wire);
            case "br" -> brotli(wire);
            case "zstd" -> new ZstdInputStreamNoFinalizer(wire);
            default -> throw new BadRequest("unsupported Content-Encoding: " + encoding);
        };
    }

    private static InputStream brotli(InputStream raw) throws IOException {
        if (!Brotli4jLoader.isAvailable()) {
            throw new BadRequest("unsupported Content-Encoding: br (no Brotli decoder on this platform)");
        }
        return new BrotliInputStream(raw);
    }

    private static byte[] readPlain(InputStream raw, long limit, long declaredLength) throws IOException {
        // A declared length over the limit still goes through the loop below, which reads up to the limit before
        // refusing: answering before reading anything left the client's upload unread, and closing on it reset the
        // connection before the 413 could reach the client.
        if (declaredLength >= 0 && declaredLength <= Math.min(limit, Integer.MAX_VALUE - 8)) {
            return readDeclared(raw, (int) declaredLength);
        }
        return drain(raw, limit, "");
    }

    private static byte[] drain(InputStream in, long limit, String encoding) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        byte[] buffer = new byte[8 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > limit) {
                throw new PayloadTooLarge(limit);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** A plain body of known length: read straight into an array of that size, the common case, without copies. */
    private static byte[] readDeclared(InputStream raw, int declaredLength) throws IOException {
        byte[] body = new byte[declaredLength];
        if (raw.readNBytes(body, 0, body.length) < body.length) {
            throw new BadRequest("invalid request body: shorter than its Content-Length");
        }
        return body;
    }

    /**
     * The client's stream as the decoder pulls it, copied as it passes. Closing it leaves the request stream open:
     * that belongs to the container.
     */
    private static final class WireCopy extends InputStream {
        private final InputStream raw;
        private final long limit;
        private final ByteArrayOutputStream copy;

        WireCopy(InputStream raw, long limit, long declaredLength) {
            this.raw = raw;
            this.limit = limit;
            this.copy = new ByteArrayOutputStream(
                    declaredLength > 0 ? (int) Math.min(declaredLength, Math.min(limit, 1 << 24)) : 8 * 1024);
        }

        @Override
        public int read() throws IOException {
            int b = raw.read();
            if (b >= 0) {
                kept(1);
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = raw.read(b, off, len);
            if (n > 0) {
                kept(n);
                copy.write(b, off, n);
            }
            return n;
        }

        void drainRest() throws IOException {
            byte[] buffer = new byte[8 * 1024];
            while (read(buffer, 0, buffer.length) >= 0) {
                // copied by read
            }
        }

        byte[] bytes() {
            return copy.toByteArray();
        }

        private void kept(int n) {
            if (copy.size() + (long) n > limit) {
                throw new PayloadTooLarge(limit);
            }
        }

        @Override
        public void close() {
            // the container's stream stays open
        }
    }

    /** A body the gateway refuses, answered with its status in the route's error shape. */
    abstract static sealed class Rejected extends RuntimeException permits BadRequest, PayloadTooLarge {
        private final int status;

        Rejected(String message, int status) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** 400. */
    static final class BadRequest extends Rejected {
        BadRequest(String message) {
            super(message, 400);
        }
    }

    /** 413. */
    static final class PayloadTooLarge extends Rejected {
        PayloadTooLarge(long limit) {
            super("request body larger than " + limit + " bytes", 413);
        }
    }
}
