package io.proxygate.application.http;

import java.util.Objects;

/**
 * A request body exactly as the client put it on the wire under a {@code Content-Encoding} (zstd, gzip, ...). Kept
 * beside the decoded body so that an upstream which accepts the same encoding receives the client's own bytes; the
 * decoded copy is what routing reads and what rewrites work on.
 *
 * @param contentEncoding the client's {@code Content-Encoding}, lower-case and trimmed
 * @param bytes           the encoded bytes as received
 */
public record EncodedBody(String contentEncoding, byte[] bytes) {
    public EncodedBody {
        Objects.requireNonNull(contentEncoding, "contentEncoding");
        Objects.requireNonNull(bytes, "bytes");
    }
}
