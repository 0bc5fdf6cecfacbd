package io.proxygate.application.routing;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The line requests wait in when every credential that could serve them is at its {@code max_concurrent} cap
 * ({@code [routing] queue_timeout}). First come, first served: only the head of the line may try again, and it does
 * so whenever a slot is released or the request ahead of it leaves; a request arriving while others wait joins the
 * end instead of overtaking them.
 */
public final class CapacityQueue {
    /** A place in line. */
    public static final class Ticket {
        private Ticket() {
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Ticket> line = new ArrayDeque<>();
    /** Bumped by every release and departure; a waiter retries when it moved since the waiter last planned. */
    private volatile long generation;
    private volatile int waiting;

    public Ticket join() {
        lock.lock();
        try {
            Ticket t = new Ticket();
            line.addLast(t);
            waiting = line.size();
            return t;
        } finally {
            lock.unlock();
        }
    }

    public boolean hasWaiters() {
        return waiting > 0;
    }

    /** How many requests wait in line now. */
    public int waiting() {
        return waiting;
    }

    /** The current generation: read it before planning, pass it to {@link #awaitTurn}. */
    public long generation() {
        return generation;
    }

    /**
     * Waits until {@code ticket} heads the line and something changed since {@code seen} (pass {@code -1} to wait
     * for the head only). Returns false at the deadline or on interruption, having left the line.
     */
    public boolean awaitTurn(Ticket ticket, long seen, long deadlineNanos) {
        return awaitTurn(ticket, seen, deadlineNanos, () -> { }, Long.MAX_VALUE);
    }

    /**
     * As {@link #awaitTurn(Ticket, long, long)}, running {@code tick} (outside the line's lock) every
     * {@code tickNanos} while waiting.
     */
    public boolean awaitTurn(Ticket ticket, long seen, long deadlineNanos, Runnable tick, long tickNanos) {
        long nextTick = tickNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + tickNanos;
        lock.lock();
        try {
            while (line.peekFirst() != ticket || (seen >= 0 && generation == seen)) {
                long now = System.nanoTime();
                long left = deadlineNanos - now;
                if (left <= 0) {
                    remove(ticket);
                    return false;
                }
                if (now - nextTick >= 0) {
                    nextTick = now + tickNanos;
                    lock.unlock();
                    try {
                        tick.run();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                try {
                    long untilTick = nextTick == Long.MAX_VALUE ? Long.MAX_VALUE : nextTick - now;
                    changed.awaitNanos(Math.min(Math.min(left, untilTick), TimeUnit.SECONDS.toNanos(1)));
                } catch (InterruptedException e) {
                    remove(ticket);
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Leaves the line (served, failed or gave up): the next in line gets its turn. Harmless twice. */
    public void leave(Ticket ticket) {
        lock.lock();
        try {
            remove(ticket);
        } finally {
            lock.unlock();
        }
    }

    /** A slot was released somewhere: the head of the line may try again. Cheap when nobody waits. */
    public void released() {
        if (waiting == 0) {
            return;
        }
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void remove(Ticket ticket) {
        if (line.remove(ticket)) {
            waiting = line.size();
            generation++;
            changed.signalAll();
        }
    }
}
