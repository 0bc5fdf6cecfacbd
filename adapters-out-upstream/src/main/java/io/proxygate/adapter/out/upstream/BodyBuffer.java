package io.proxygate.adapter.out.upstream;

import io.proxygate.application.port.out.UpstreamException;
import org.apache.hc.core5.http.nio.CapacityChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The bounded hand-over between the I/O reactor, which receives body bytes, and the one (virtual) thread that reads
 * them. Flow control is credit-based through HttpCore's {@link CapacityChannel}: the reactor may only read as many
 * bytes as this buffer has granted, and grants stop when {@code limit} bytes are queued or promised. A slow reader
 * therefore stops the socket read, TCP pushes back on the upstream, and memory per call stays near {@code limit}
 * (plus the transport's initial window). The reactor side never blocks.
 */
final class BodyBuffer {
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();

    private long queued;
    private long outstanding;
    private long highWater;
    private CapacityChannel channel;
    private boolean starved;
    private boolean ended;
    private boolean discarded;
    private UpstreamException failure;
    private volatile long lastProgressNanos = System.nanoTime();
    /**
     * When the reader waiting in {@link #take(long)} gives up ({@link System#nanoTime()}); {@link #NO_DEADLINE} when
     * none waits with a limit. Read without the lock by the call's watchdog, which wakes the reader once it has passed.
     */
    private volatile long readerDeadline = NO_DEADLINE;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    BodyBuffer(int limit) {
        this.limit = limit;
    }

    /** Reactor: the transport wants more credit. Grants what the buffer can take, or remembers to grant later. */
    void capacityRequested(CapacityChannel capacityChannel) throws IOException {
        int grant;
        lock.lock();
        try {
            channel = capacityChannel;
            grant = grantable();
            if (grant > 0) {
                outstanding += grant;
                starved = false;
            } else {
                starved = true;
            }
        } finally {
            lock.unlock();
        }
        if (grant > 0) {
            capacityChannel.update(grant);
        }
    }

    /** Reactor: bytes arrived. They are copied: the transport reuses its buffer. */
    void offer(ByteBuffer src) {
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(n);
        copy.put(src).flip();
        lock.lock();
        try {
            if (discarded) {
                return;
            }
            queue.addLast(copy);
            queued += n;
            outstanding = Math.max(0, outstanding - n);
            highWater = Math.max(highWater, queued);
            lastProgressNanos = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records a failure unless the body already ended; the reader sees it after the bytes already queued. */
    boolean fail(UpstreamException e) {
        lock.lock();
        try {
            if (ended || failure != null) {
                return false;
            }
            failure = e;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The reader went away: drop what is queued and wake any waiting reader. A starved transport gets credit again,
     * so that the reactor reads, finds the exchange closed and tears the connection down (a cancel alone is not
     * noticed by a connection that has no credit to read with).
     */
    void discard() throws IOException {
        CapacityChannel wake = null;
        lock.lock();
        try {
            discarded = true;
            queue.clear();
            queued = 0;
            changed.signalAll();
            if (!ended && failure == null) {
                wake = channel;
            }
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            wake.update(limit);
        }
    }

    /** Reader: the next chunk, blocking; empty at the end of the body. */
    Optional<ByteBuffer> take() throws UpstreamException, InterruptedException {
        return take(-1);
    }

    /**
     * Reader: the next chunk, waiting {@code waitNanos} (negative: for ever); empty at the end of the body, null when
     * nothing arrived in time. A limited wait ends when the call's watchdog next finds it has run out
     * ({@link #wakeReaderIfDue}), up to one watchdog period late. The reader parks without a timeout: a timed park
     * of a virtual thread arms a timer, and arming and cancelling one for every relayed event cost the stream's
     * carrier threads about a quarter of their CPU (1.4 more context switches and 2.5 more system calls an event).
     */
    Optional<ByteBuffer> take(long waitNanos) throws UpstreamException, InterruptedException {
        ByteBuffer chunk;
        CapacityChannel grantTo = null;
        int grant = 0;
        long deadline = waitNanos < 0 ? NO_DEADLINE : System.nanoTime() + waitNanos;
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty() && !ended && failure == null && !discarded) {
                if (deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0) {
                    return null;
                }
                readerDeadline = deadline;
                try {
                    changed.await();
                } finally {
                    readerDeadline = NO_DEADLINE;
                }
            }
            if (discarded) {
                throw new UpstreamException(UpstreamException.Kind.CANCELLED, "call was closed", null);
            }
            chunk = queue.pollFirst();
            if (chunk == null) {
                if (failure != null) {
                    throw new UpstreamException(failure.kind(), failure.getMessage(), failure);
                }
                return Optional.empty();
            }
            queued -= chunk.remaining();
            if (channel != null) {
                int available = grantable();
                // Credit flows back as the reader drains, in large steps rather than per chunk, so the window stays
                // open ahead of need (no round trip per frame) without a storm of tiny updates.
                if (available >= limit / 2 || (starved && queue.isEmpty() && available > 0)) {
                    outstanding += available;
                    starved = false;
                    grant = available;
                    grantTo = channel;
                    lastProgressNanos = System.nanoTime();
                }
            }
        } finally {
            lock.unlock();
        }
        if (grantTo != null) {
            try {
                grantTo.update(grant);
            } catch (IOException e) {
                // The exchange is failing; its own callback reports why.
            }
        }
        return Optional.of(chunk);
    }

    /** Watchdog: wakes the reader if its limited wait has run out, so that {@link #take(long)} returns null. */
    void wakeReaderIfDue(long nowNanos) {
        long deadline = readerDeadline;
        if (deadline != NO_DEADLINE && nowNanos - deadline >= 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private int grantable() {
        return (int) Math.max(0, limit - queued - outstanding);
    }

    boolean starved() {
        return underLock(() -> starved);
    }

    boolean ended() {
        return underLock(() -> ended);
    }

    void touch() {
        lastProgressNanos = System.nanoTime();
    }

    long lastProgressNanos() {
        return lastProgressNanos;
    }

    long bufferedBytes() {
        return underLock(() -> queued);
    }

    long highWaterBytes() {
        return underLock(() -> highWater);
    }

    /** Reads state that the producer and consumer threads change under the lock. */
    private <T> T underLock(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
