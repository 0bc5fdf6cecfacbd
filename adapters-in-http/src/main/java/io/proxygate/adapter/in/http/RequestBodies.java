package io.proxygate.adapter.in.http;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/** Reads a request body once, decoding its Content-Encoding, refusing bodies over the limit (413). */
final class RequestBodies {
    private RequestBodies() {
    }

    /** {@code declaredLength} is the Content-Length (-1 when absent), used only to size the buffer. */
    static byte[] read(InputStream raw, String contentEncoding, long limit, long declaredLength) throws IOException {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        InputStream in = switch (encoding) {
            case "", "identity" -> raw;
            case "gzip", "x-gzip" -> new GZIPInputStream(raw);
            case "deflate" -> new InflaterInputStream(raw);
            case "br" -> brotli(raw);
            case "zstd" -> new ZstdInputStream(raw);
            default -> throw new BadRequest("unsupported Content-Encoding: " + encoding);
        };
        // A declared length over the limit still goes through the loop below, which reads up to the limit before
        // refusing: answering before reading anything left the client's upload unread, and closing on it reset the
        // connection before the 413 could reach the client.
        if (in == raw && declaredLength >= 0 && declaredLength <= Math.min(limit, Integer.MAX_VALUE - 8)) {
            return readDeclared(raw, (int) declaredLength);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
        byte[] buffer = new byte[8 * 1024];
        long total = 0;
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > limit) {
                    throw new PayloadTooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new BadRequest("invalid request body: cannot decode " + encoding + " content");
        } catch (IOException e) {
            if (!encoding.isEmpty() && !encoding.equals("identity")) {
                throw new BadRequest("invalid request body: cannot decode " + encoding + " content");
            }
            throw e;
        }
        return out.toByteArray();
    }

    /** Brotli needs its native library; a platform without one answers 400 like any other unsupported coding. */
    private static InputStream brotli(InputStream raw) throws IOException {
        if (!Brotli4jLoader.isAvailable()) {
            throw new BadRequest("unsupported Content-Encoding: br (no Brotli decoder on this platform)");
        }
        return new BrotliInputStream(raw);
    }

    /** A plain body of known length: read straight into an array of that size, the common case, without copies. */
    private static byte[] readDeclared(InputStream raw, int declaredLength) throws IOException {
        byte[] body = new byte[declaredLength];
        if (raw.readNBytes(body, 0, body.length) < body.length) {
            throw new BadRequest("invalid request body: shorter than its Content-Length");
        }
        return body;
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
