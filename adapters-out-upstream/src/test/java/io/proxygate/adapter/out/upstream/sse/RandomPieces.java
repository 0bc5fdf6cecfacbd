package io.proxygate.adapter.out.upstream.sse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Feeds a scanner a stream cut at random places, as a network delivers it, for tests that compare with one piece. */
final class RandomPieces {
    private RandomPieces() {
    }

    /**
     * The events {@code scanner} finds in {@code bytes} fed in pieces of 1 to {@code maxPiece} bytes, cut where
     * {@code seed} says, then finished.
     */
    static List<SseEvent> scan(SseScanner scanner, byte[] bytes, long seed, int maxPiece) {
        Random random = new Random(seed);
        List<SseEvent> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int n = 1 + random.nextInt(Math.min(maxPiece, bytes.length - at));
            scanner.feed(ByteBuffer.wrap(bytes, at, n).slice(), out::add);
            at += n;
        }
        scanner.finish(out::add);
        return out;
    }
}
