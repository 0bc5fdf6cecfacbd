package io.proxygate.adapter.in.http;

import com.github.luben.zstd.ZstdInputStream;
import org.brotli.dec.BrotliInputStream;
import jakarta.ws.rs.WebApplicationException;

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

    static byte[] read(InputStream raw, String contentEncoding, long limit) throws IOException {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        InputStream in = switch (encoding) {
            case "", "identity" -> raw;
            case "gzip", "x-gzip" -> new GZIPInputStream(raw);
            case "deflate" -> new InflaterInputStream(raw);
            case "br" -> new BrotliInputStream(raw);
            case "zstd" -> new ZstdInputStream(raw);
            default -> throw new BadRequest("unsupported Content-Encoding: " + encoding);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
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

    /** 400 in the route's error shape. */
    static final class BadRequest extends WebApplicationException {
        BadRequest(String message) {
            super(message, 400);
        }
    }

    /** 413 in the route's error shape. */
    static final class PayloadTooLarge extends WebApplicationException {
        PayloadTooLarge(long limit) {
            super("request body larger than " + limit + " bytes", 413);
        }
    }
}
