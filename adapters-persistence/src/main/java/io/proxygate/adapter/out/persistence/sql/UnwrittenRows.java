package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.usage.RequestRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Request-log rows handed to the writer and not yet readable from the database. Usage reads add them to what the
 * database returns, so once a client has its whole reply its request is already counted (read-your-writes), while
 * the insert itself stays behind the reply, on the writer thread.
 *
 * <p>A read sees every row exactly once: the writer commits a batch and forgets its rows under the write lock, and a
 * read runs its query and takes its snapshot under the read lock. Adding a row takes no lock, so the relay never
 * waits for a commit or a read.
 */
public final class UnwrittenRows {
    private final Map<Held, Integer> rows = new ConcurrentHashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** A row counts by identity: two requests may well log equal rows. */
    private record Held(RequestRecord record) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Held h && h.record == record;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(record);
        }
    }

    /** The row is on its way to the database. */
    void add(RequestRecord record) {
        rows.merge(new Held(record), 1, Integer::sum);
    }

    /** The row will not be written (dropped, or refused by the database). */
    void forget(RequestRecord record) {
        rows.computeIfPresent(new Held(record), (k, n) -> n == 1 ? null : n - 1);
    }

    /** Runs the insert of {@code records}; once it committed they are no longer counted here. */
    void written(List<RequestRecord> records, Runnable insert) {
        lock.writeLock().lock();
        try {
            insert.run();
            records.forEach(this::forget);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code query} against the database and merges the rows not written yet into its result. */
    <T> T read(Supplier<T> query, BiFunction<T, List<RequestRecord>, T> merge) {
        T stored;
        List<RequestRecord> unwritten = new ArrayList<>();
        lock.readLock().lock();
        try {
            stored = query.get();
            rows.forEach((held, count) -> {
                for (int i = 0; i < count; i++) {
                    unwritten.add(held.record());
                }
            });
        } finally {
            lock.readLock().unlock();
        }
        return unwritten.isEmpty() ? stored : merge.apply(stored, unwritten);
    }

    /** Rows waiting for the writer; for tests and metrics. */
    public int size() {
        return rows.values().stream().mapToInt(Integer::intValue).sum();
    }
}
