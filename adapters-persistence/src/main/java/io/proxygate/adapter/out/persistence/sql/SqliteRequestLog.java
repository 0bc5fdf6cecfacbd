package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.usage.RequestRecord;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request log, written behind the relay: {@link #append} only queues (a bounded queue; when it is full the
 * caller waits briefly, then the row is counted as dropped rather than stalling a response), and one writer
 * thread inserts batches in single transactions. {@link #close()} writes everything still queued.
 */
public final class SqliteRequestLog implements RequestLogPort, AutoCloseable {
    public static final int DEFAULT_CAPACITY = 8192;
    public static final int DEFAULT_BATCH_SIZE = 256;
    public static final Duration DEFAULT_BATCH_DELAY = Duration.ofMillis(100);
    public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofMillis(50);

    private static final Logger LOG = LoggerFactory.getLogger(SqliteRequestLog.class);

    private final Jdbi jdbi;
    private final BlockingQueue<RequestRecord> queue;
    private final int batchSize;
    private final long batchDelayNanos;
    private final long offerTimeoutNanos;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    public SqliteRequestLog(Jdbi jdbi) {
        this(jdbi, DEFAULT_CAPACITY, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_DELAY, DEFAULT_OFFER_TIMEOUT);
    }

    /**
     * @param capacity     rows that may wait for the writer
     * @param batchSize    most rows per transaction
     * @param batchDelay   how long the writer gathers rows after the first one of a batch
     * @param offerTimeout how long {@link #append} waits for room before dropping the row
     */
    public SqliteRequestLog(Jdbi jdbi, int capacity, int batchSize, Duration batchDelay, Duration offerTimeout) {
        if (capacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("capacity and batchSize must be positive");
        }
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.batchDelayNanos = batchDelay.toNanos();
        this.offerTimeoutNanos = offerTimeout.toNanos();
        this.writer = Thread.ofPlatform().name("request-log-writer").daemon(true).start(this::run);
    }

    @Override
    public void append(RequestRecord record) {
        Objects.requireNonNull(record, "record");
        if (closing) {
            countDrop("the request log is closed");
            return;
        }
        try {
            if (!queue.offer(record, offerTimeoutNanos, TimeUnit.NANOSECONDS)) {
                countDrop("the request log queue is full");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // An interrupted caller cannot wait for room, but a row that fits now is still kept.
            if (!queue.offer(record)) {
                countDrop("interrupted while queueing");
            }
        }
    }

    @Override
    public List<RequestRecord> recent(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return jdbi.withExtension(UsageStatsDao.class, dao -> dao.recent(limit)).stream()
                .map(RowMapping::toRecord).toList();
    }

    /** Rows not written because the queue stayed full (or the log was closed). */
    public long droppedCount() {
        return dropped.get();
    }

    /** Rows the database refused even one by one. */
    public long failedCount() {
        return failed.get();
    }

    private void run() {
        List<RequestRecord> batch = new ArrayList<>(batchSize);
        while (!closing || !queue.isEmpty()) {
            try {
                RequestRecord first = queue.poll(batchDelayNanos, TimeUnit.NANOSECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + batchDelayNanos;
                while (batch.size() < batchSize) {
                    queue.drainTo(batch, batchSize - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= batchSize || left <= 0 || closing) {
                        break;
                    }
                    RequestRecord next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
            } catch (InterruptedException e) {
                // Only close() may end the writer; it drains whatever is left afterwards.
            }
            write(batch);
            batch.clear();
        }
    }

    private void write(List<RequestRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<RequestLogRow> rows = batch.stream().map(RowMapping::toRow).toList();
        try {
            jdbi.useTransaction(handle -> RequestLogDao.insert(handle, rows));
        } catch (RuntimeException batchFailure) {
            // One bad row (or a long lock) must not cost the whole batch: retry the rows one by one.
            LOG.warn("request log batch of {} rows failed ({}); retrying row by row", rows.size(),
                    batchFailure.getClass().getSimpleName());
            for (RequestLogRow row : rows) {
                try {
                    jdbi.useTransaction(handle -> RequestLogDao.insert(handle, List.of(row)));
                } catch (RuntimeException rowFailure) {
                    failed.incrementAndGet();
                    LOG.warn("request log row {} could not be written: {}", row.id(),
                            rowFailure.getClass().getSimpleName());
                }
            }
        }
    }

    private void countDrop(String why) {
        long total = dropped.incrementAndGet();
        // Log the first drop and then every thousandth, so an overload cannot flood the log.
        if (total == 1 || total % 1000 == 0) {
            LOG.warn("request log row dropped: {} ({} dropped so far)", why, total);
        }
    }

    /** Stops accepting rows, writes every queued row, and waits for the writer to finish. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Rows that raced with close() are written here rather than lost.
        List<RequestRecord> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (int from = 0; from < rest.size(); from += batchSize) {
            write(rest.subList(from, Math.min(rest.size(), from + batchSize)));
        }
    }
}
