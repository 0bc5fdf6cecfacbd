package io.proxygate.adapter.out.upstream.usage;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client's side of asking a streamed Chat Completions request for its usage on the client's behalf (the request
 * side is {@code ChatUsageRewriter}): when the client had not asked, the extra usage chunk (empty {@code choices},
 * a {@code usage} object) is kept from it ({@link Hider}), so it sees the stream it asked for.
 */
public final class ChatUsageOption {
    private ChatUsageOption() {
    }

    /**
     * Removes the usage chunk from a Chat Completions event stream as it passes. Events pass whole: the bytes of an
     * event not yet complete wait for the rest (an event is one {@code data:} line and a blank line, so the wait is
     * for the rest of one line). A chunk ending on an event boundary with no usage in it passes without a copy.
     */
    public static final class Hider {
        /**
         * The usage chunk is the one whose {@code choices} is empty; every other chunk of such a stream carries
         * {@code "usage":null}, so that alone tells nothing. JSON may have spaces: {@code "choices": [ ]}.
         */
        private static final byte[] CHOICES = "\"choices\"".getBytes(StandardCharsets.UTF_8);
        /** An event this long without its end is no Chat chunk worth holding: let the bytes through as they are. */
        private static final int MAX_PENDING = 1 << 20;
        private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
        private byte[] pending = new byte[0];

        /** What of {@code chunk} (after what was waiting) goes to the client now. */
        public ByteBuffer pass(ByteBuffer chunk) {
            if (pending.length == 0 && endsOnBoundary(chunk) && !hasEmptyChoices(chunk)) {
                return chunk;
            }
            byte[] all = new byte[pending.length + chunk.remaining()];
            System.arraycopy(pending, 0, all, 0, pending.length);
            chunk.duplicate().get(all, pending.length, chunk.remaining());
            ByteArrayOutputStream out = new ByteArrayOutputStream(all.length);
            int start = 0;
            for (int end = nextBoundary(all, start); end > 0; end = nextBoundary(all, start)) {
                if (!isUsageChunk(all, start, end)) {
                    out.write(all, start, end - start);
                }
                start = end;
            }
            pending = java.util.Arrays.copyOfRange(all, start, all.length);
            if (pending.length > MAX_PENDING) {
                out.write(pending, 0, pending.length);
                pending = new byte[0];
            }
            return out.size() == 0 ? NOTHING : ByteBuffer.wrap(out.toByteArray());
        }

        /** At the end of the stream: what was still waiting (an event without its closing blank line). */
        public ByteBuffer rest() {
            ByteBuffer rest = ByteBuffer.wrap(pending);
            pending = new byte[0];
            return rest;
        }

        private static boolean isUsageChunk(byte[] all, int start, int end) {
            if (!hasEmptyChoices(ByteBuffer.wrap(all, start, end - start))) {
                return false;
            }
            String event = new String(all, start, end - start, StandardCharsets.UTF_8).strip();
            if (!event.startsWith("data:")) {
                return false;
            }
            try {
                JsonNode chunk = UsageJson.MAPPER.readTree(event.substring(5).strip());
                return chunk.path("usage").isObject() && chunk.path("choices").isArray()
                        && chunk.path("choices").isEmpty();
            } catch (IOException e) {
                return false;
            }
        }

        /** The index just past the first blank line at or after {@code from} ("\n\n" or "\r\n\r\n"), or -1. */
        private static int nextBoundary(byte[] all, int from) {
            for (int i = from; i + 1 < all.length; i++) {
                if (all[i] == '\n' && all[i + 1] == '\n') {
                    return i + 2;
                }
                if (all[i] == '\n' && all[i + 1] == '\r' && i + 2 < all.length && all[i + 2] == '\n') {
                    return i + 3;
                }
            }
            return -1;
        }

        private static boolean endsOnBoundary(ByteBuffer chunk) {
            int end = chunk.limit();
            return chunk.remaining() >= 2 && chunk.get(end - 1) == '\n' && chunk.get(end - 2) == '\n';
        }

        /** Whether some {@code "choices"} in the bytes is followed by an empty array. */
        private static boolean hasEmptyChoices(ByteBuffer chunk) {
            int limit = chunk.limit();
            for (int at = indexOf(chunk, chunk.position(), CHOICES); at >= 0;
                 at = indexOf(chunk, at + 1, CHOICES)) {
                int i = skipSpaces(chunk, at + CHOICES.length, limit);
                if (i < limit && chunk.get(i) == ':') {
                    i = skipSpaces(chunk, i + 1, limit);
                    if (i < limit && chunk.get(i) == '[') {
                        i = skipSpaces(chunk, i + 1, limit);
                        if (i < limit && chunk.get(i) == ']') {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private static int skipSpaces(ByteBuffer chunk, int from, int limit) {
            int i = from;
            while (i < limit && (chunk.get(i) == ' ' || chunk.get(i) == '\t' || chunk.get(i) == '\r'
                    || chunk.get(i) == '\n')) {
                i++;
            }
            return i;
        }

        private static int indexOf(ByteBuffer chunk, int from, byte[] needle) {
            int end = chunk.limit() - needle.length;
            outer:
            for (int i = from; i <= end; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (chunk.get(i + j) != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
