package io.proxygate.adapter.out.upstream.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Incremental server-sent-events parser for bytes that arrive split anywhere: inside a line, inside a UTF-8
 * character, between the CR and LF of a line ending. Lines may end in LF, CRLF or CR; {@code data:} may span
 * several lines; lines starting with {@code :} are comments.
 *
 * <p>It holds at most the current line and the current event's data, never the stream: memory is bounded by
 * {@code maxEventBytes}. An event larger than that is dropped whole (and counted), the scan goes on. Events whose type
 * the {@code interest} predicate rejects are not accumulated at all when their {@code event:} line comes first (the
 * usual order), so a relay that only wants the usage events pays almost nothing for the deltas.
 *
 * <p>Not thread-safe: one scanner per stream, fed by one thread.
 */
public final class SseScanner {
    public static final int DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;
    private static final int INITIAL_LINE_CAPACITY = 256;
    // After a large event, give the memory back rather than keep a multi-megabyte buffer per stream.
    private static final int SHRINK_ABOVE = 64 * 1024;

    private final int maxEventBytes;
    private final Predicate<String> interest;

    private byte[] line = new byte[INITIAL_LINE_CAPACITY];
    private int lineLength;
    private boolean lineTooLong;
    private boolean afterCarriageReturn;

    private String eventType;
    private StringBuilder data = new StringBuilder();
    private boolean hasData;
    private long eventBytes;
    private boolean eventDropped;
    private long droppedEvents;

    public SseScanner() {
        this(DEFAULT_MAX_EVENT_BYTES, type -> true);
    }

    public SseScanner(int maxEventBytes, Predicate<String> interest) {
        if (maxEventBytes < 1) {
            throw new IllegalArgumentException("maxEventBytes must be positive");
        }
        this.maxEventBytes = maxEventBytes;
        this.interest = interest;
    }

    /** Scans the readable bytes of {@code chunk} without moving its position; complete events go to {@code sink}. */
    public void feed(ByteBuffer chunk, Consumer<SseEvent> sink) {
        int end = chunk.limit();
        for (int i = chunk.position(); i < end; i++) {
            accept(chunk.get(i), sink);
        }
    }

    public void feed(byte[] bytes, int offset, int length, Consumer<SseEvent> sink) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            accept(bytes[i], sink);
        }
    }

    /**
     * Ends the stream: a last line without its line ending is processed and a last event without its blank line is
     * dispatched (lenient, as upstreams sometimes omit the final blank line).
     */
    public void finish(Consumer<SseEvent> sink) {
        if (lineLength > 0 || lineTooLong) {
            endOfLine(sink);
        }
        dispatch(sink);
    }

    /** Events dropped because they exceeded the size cap. */
    public long droppedEvents() {
        return droppedEvents;
    }

    private void accept(byte b, Consumer<SseEvent> sink) {
        if (afterCarriageReturn) {
            afterCarriageReturn = false;
            if (b == '\n') {
                return;
            }
        }
        if (b == '\r') {
            afterCarriageReturn = true;
            endOfLine(sink);
        } else if (b == '\n') {
            endOfLine(sink);
        } else if (lineLength < maxEventBytes) {
            if (lineLength == line.length) {
                byte[] bigger = new byte[Math.min(maxEventBytes, line.length * 2)];
                System.arraycopy(line, 0, bigger, 0, lineLength);
                line = bigger;
            }
            line[lineLength++] = b;
        } else {
            lineTooLong = true;
        }
    }

    private void endOfLine(Consumer<SseEvent> sink) {
        if (lineTooLong) {
            eventDropped = true;
            resetLine();
            return;
        }
        if (lineLength == 0) {
            dispatch(sink);
            return;
        }
        int colon = -1;
        for (int i = 0; i < lineLength; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon == 0) {
            resetLine();
            return;
        }
        int nameEnd = colon < 0 ? lineLength : colon;
        int valueStart = colon < 0 ? lineLength : colon + 1;
        if (valueStart < lineLength && line[valueStart] == ' ') {
            valueStart++;
        }
        if (isField("data", nameEnd)) {
            appendData(valueStart);
        } else if (isField("event", nameEnd)) {
            eventType = new String(line, valueStart, lineLength - valueStart, StandardCharsets.UTF_8);
        }
        // id and retry carry nothing a relay needs; unknown fields are ignored as the spec says.
        resetLine();
    }

    private void appendData(int valueStart) {
        if (eventDropped || (eventType != null && !interest.test(eventType))) {
            return;
        }
        int length = lineLength - valueStart;
        eventBytes += length + 1;
        if (eventBytes > maxEventBytes) {
            eventDropped = true;
            data = new StringBuilder();
            return;
        }
        if (hasData) {
            data.append('\n');
        }
        data.append(new String(line, valueStart, length, StandardCharsets.UTF_8));
        hasData = true;
    }

    private boolean isField(String name, int nameEnd) {
        if (nameEnd != name.length()) {
            return false;
        }
        for (int i = 0; i < nameEnd; i++) {
            if (line[i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void dispatch(Consumer<SseEvent> sink) {
        String type = eventType == null ? SseEvent.DEFAULT_TYPE : eventType;
        if (eventDropped) {
            droppedEvents++;
        } else if (hasData && interest.test(type)) {
            sink.accept(new SseEvent(type, data.toString()));
        }
        eventType = null;
        hasData = false;
        eventBytes = 0;
        eventDropped = false;
        if (data.capacity() > SHRINK_ABOVE) {
            data = new StringBuilder();
        } else {
            data.setLength(0);
        }
    }

    private void resetLine() {
        lineLength = 0;
        lineTooLong = false;
        if (line.length > SHRINK_ABOVE) {
            line = new byte[INITIAL_LINE_CAPACITY];
        }
    }
}
