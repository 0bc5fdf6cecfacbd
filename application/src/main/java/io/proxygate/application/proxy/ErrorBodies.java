package io.proxygate.application.proxy;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the head of an upstream's error body, bounded, so a 4xx/5xx reply can be reported (its message, its
 * Retry-After hint) without holding an arbitrarily large body in memory.
 */
public final class ErrorBodies {
    private ErrorBodies() {
    }

    /**
     * At most {@code maxBytes} of what is left of {@code call}'s body, decoded as UTF-8. A read failure ends the
     * body early: what arrived before it is what is reported. Does not close the call.
     */
    public static String readBounded(UpstreamCall call, int maxBytes) {
        return new String(readBoundedBytes(call, maxBytes), StandardCharsets.UTF_8);
    }

    /** As {@link #readBounded}, as the bytes received (for replaying them to the client unchanged). */
    public static byte[] readBoundedBytes(UpstreamCall call, int maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Optional<ByteBuffer> chunk;
            while (out.size() < maxBytes && (chunk = call.nextChunk()).isPresent()) {
                ByteBuffer b = chunk.get();
                byte[] bytes = new byte[Math.min(b.remaining(), maxBytes - out.size())];
                b.get(bytes);
                out.write(bytes, 0, bytes.length);
            }
        } catch (UpstreamException e) {
            // what we have is what we report
        }
        return out.toByteArray();
    }
}
