package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads a call to its end, as the relay would. */
public final class Reading {
    public record Reply(UpstreamHead head, String body) {
    }

    private Reading() {
    }

    public static Reply readAll(UpstreamCall call) throws UpstreamException {
        UpstreamHead head = call.awaitHead();
        return new Reply(head, drain(call));
    }

    /** The rest of the body, after the head. */
    public static String drain(UpstreamCall call) throws UpstreamException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Optional<ByteBuffer> chunk;
        while ((chunk = call.nextChunk()).isPresent()) {
            ByteBuffer b = chunk.get();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.writeBytes(bytes);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
