package io.proxygate.adapter.out.persistence.sql;

import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.usage.RequestRecord;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request log, written behind the relay: {@link #append} only queues (a bounded queue; when it is full the
 * caller waits briefly, then the row is counted as dropped rather than stalling a response), and one writer
 * thread inserts batches in single transactions: a batch goes as soon as it is full or its first row has waited
 * {@code batchDelay}, whichever comes first, so a crash loses at most that window. {@link #close()} writes
 * everything still queued.
 *
 * <p>When the database cannot take rows (a full disk, an I/O error, a lock held too long) the rows are not lost:
 * they wait in memory, up to {@code waitingCapacity}, and the writer retries every {@link #RETRY_INTERVAL} until the
 * database takes them again. Meanwhile {@link #problem()} says what is wrong in words ("disk full at ..."), for
 * health checks. Rows beyond the buffer, and rows refused one by one for reasons of their own, are counted.
 *
 * <p>Until a row is committed it is held in {@link #unwritten()}, which usage reads add in, so a request counts from
 * the moment it is appended (rows waiting out a storage problem included).
 */
public final class SqlRequestLog implements RequestLogPort, AutoCloseable {
    public static final int DEFAULT_CAPACITY = 8192;
    /**
     * Large enough that a backlog drains in big transactions: each batch also adds to the usage summary, one upsert
     * per hour or day, dimension and value it touches, which a batch of 1,024 rows shares far more than one of 256.
     */
    public static final int DEFAULT_BATCH_SIZE = 1024;
    /** A kill -9 loses at most the rows of this window (plus what the OS had not written). */
    public static final Duration DEFAULT_BATCH_DELAY = Duration.ofMillis(25);
    public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofMillis(50);
    public static final int DEFAULT_WAITING_CAPACITY = 100_000;
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    /** Drop warnings are logged at most this often, each with the running total. */
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Logger LOG = LoggerFactory.getLogger(SqlRequestLog.class);

    private final Jdbi jdbi;
    private final BlockingQueue<RequestRecord> queue;
    private final int batchSize;
    private final long batchDelayNanos;
    private final long offerTimeoutNanos;
    private final int waitingCapacity;
    private final String location;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final UnwrittenRows unwritten = new UnwrittenRows();
    /** The writer's prepared inserts, kept between batches (the writer thread's, then close()'s after it ended). */
    private final StatementCache statements = new StatementCache();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lastDropLogNanos = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    /** Rows the database would not take yet; writer thread only, its size mirrored for readers. */
    private final ArrayDeque<RequestRecord> waiting = new ArrayDeque<>();
    private volatile int waitingCount;
    private volatile String problem;
    private long nextRetryNanos;
    private final Thread writer;
    private volatile boolean closing;

    public SqlRequestLog(Jdbi jdbi) {
        this(jdbi, DEFAULT_CAPACITY, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_DELAY, DEFAULT_OFFER_TIMEOUT);
    }

    /** The defaults, naming where the database lives for health messages ("disk full at {@code location}"). */
    public SqlRequestLog(Jdbi jdbi, String location) {
        this(jdbi, DEFAULT_CAPACITY, DEFAULT_BATCH_SIZE, DEFAULT_BATCH_DELAY, DEFAULT_OFFER_TIMEOUT,
                DEFAULT_WAITING_CAPACITY, location);
    }

    public SqlRequestLog(Jdbi jdbi, int capacity, int batchSize, Duration batchDelay, Duration offerTimeout) {
        this(jdbi, capacity, batchSize, batchDelay, offerTimeout, DEFAULT_WAITING_CAPACITY, "the database");
    }

    /**
     * @param capacity        rows that may wait for the writer
     * @param batchSize       most rows per transaction
     * @param batchDelay      how long the writer gathers rows after the first one of a batch
     * @param offerTimeout    how long {@link #append} waits for room before dropping the row
     * @param waitingCapacity rows kept in memory while the database cannot take them
     * @param location        where the database lives, for health messages
     */
    public SqlRequestLog(Jdbi jdbi, int capacity, int batchSize, Duration batchDelay, Duration offerTimeout,
                            int waitingCapacity, String location) {
        if (capacity < 1 || batchSize < 1 || waitingCapacity < 0) {
            throw new IllegalArgumentException("capacity and batchSize must be positive");
        }
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.batchDelayNanos = batchDelay.toNanos();
        this.offerTimeoutNanos = offerTimeout.toNanos();
        this.waitingCapacity = waitingCapacity;
        this.location = location;
        this.writer = Thread.ofPlatform().name("request-log-writer").daemon(true).start(this::run);
    }

    @Override
    public void append(RequestRecord record) {
        Objects.requireNonNull(record, "record");
        if (closing) {
            countDrop("the request log is closed", 1);
            return;
        }
        // Held before it is queued, so the writer can never commit a row that is not held yet.
        unwritten.add(record);
        try {
            if (!queue.offer(record, offerTimeoutNanos, TimeUnit.NANOSECONDS)) {
                unwritten.forget(record);
                countDrop("the request log queue is full", 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // An interrupted caller cannot wait for room, but a row that fits now is still kept.
            if (!queue.offer(record)) {
                unwritten.forget(record);
                countDrop("interrupted while queueing", 1);
            }
        }
    }

    /** Rows appended and not yet committed; share it with {@link SqlUsageStats} for read-your-writes counts. */
    public UnwrittenRows unwritten() {
        return unwritten;
    }

    @Override
    public List<RequestRecord> recent(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return unwritten.read(() -> jdbi.withExtension(UsageStatsDao.class, dao -> dao.recent(limit)).stream()
                .map(RowMapping::toRecord).toList(), (stored, rows) -> SqlUsageStats.newest(stored, rows, limit));
    }

    /** Rows lost: the queue stayed full, the log was closed, or the memory buffer of a failing database was full. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Rows the database refused even one by one. */
    public long failedCount() {
        return failed.get();
    }

    /** Rows in memory because the database could not take them yet. */
    public long waitingCount() {
        return waitingCount;
    }

    /** Rows written so far. */
    public long writtenCount() {
        return written.get();
    }

    /** Rows accepted and not yet written (queued plus waiting). */
    public long pendingCount() {
        return queue.size() + (long) waitingCount;
    }

    /** Why rows cannot be written now, in words; empty while the database takes them. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private void run() {
        List<RequestRecord> batch = new ArrayList<>(batchSize);
        while (!closing || !queue.isEmpty()) {
            try {
                long firstWait = waiting.isEmpty() ? batchDelayNanos
                        : Math.max(1, Math.min(batchDelayNanos, nextRetryNanos - System.nanoTime()));
                RequestRecord first = queue.poll(firstWait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    // The rest of the batch's window is slept out and its rows taken at the end. Waiting on the queue
                    // instead woke this thread for every row, each wake-up a system call on the request's thread and
                    // a context switch here.
                    long deadline = System.nanoTime() + batchDelayNanos;
                    long left;
                    while (!closing && queue.size() < batchSize - 1 && (left = deadline - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(this, left);
                    }
                    queue.drainTo(batch, batchSize - batch.size());
                }
            } catch (InterruptedException e) {
                // Only close() may end the writer; it drains whatever is left afterwards.
            }
            if (!waiting.isEmpty()) {
                hold(batch);
                batch.clear();
                if (System.nanoTime() - nextRetryNanos >= 0) {
                    retryWaiting();
                }
                continue;
            }
            write(batch);
            batch.clear();
        }
    }

    /** Writes one batch; when the database cannot take it, keeps it for a retry instead of losing it. */
    private void write(List<RequestRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<RequestLogRow> rows = batch.stream().map(RowMapping::toRow).toList();
        try {
            unwritten.written(batch, () -> insert(rows));
            written.addAndGet(rows.size());
            recovered();
        } catch (RuntimeException batchFailure) {
            Optional<String> storage = storageProblem(batchFailure);
            if (storage.isPresent()) {
                degraded(storage.get());
                hold(batch);
                return;
            }
            // One bad row must not cost the whole batch: retry the rows one by one.
            LOG.warn("request log batch of {} rows failed ({}); retrying row by row", rows.size(),
                    batchFailure.getClass().getSimpleName());
            for (int i = 0; i < rows.size(); i++) {
                RequestLogRow row = rows.get(i);
                RequestRecord record = batch.get(i);
                try {
                    unwritten.written(List.of(record),
                            () -> insert(List.of(row)));
                    written.incrementAndGet();
                } catch (RuntimeException rowFailure) {
                    unwritten.forget(record);
                    failed.incrementAndGet();
                    LOG.warn("request log row {} could not be written: {}", row.id(),
                            rowFailure.getClass().getSimpleName());
                }
            }
        }
    }

    /** Inserts the rows in one transaction, with the writer's kept statements. */
    private void insert(List<RequestLogRow> rows) {
        jdbi.useTransaction(handle -> RequestLogDao.insert(handle, rows, statements));
    }

    /** Keeps rows for a later retry, as many as the buffer holds; the rest are counted as dropped. */
    private void hold(List<RequestRecord> rows) {
        int room = waitingCapacity - waiting.size();
        int kept = Math.min(room, rows.size());
        for (int i = 0; i < kept; i++) {
            waiting.addLast(rows.get(i));
        }
        waitingCount = waiting.size();
        for (int i = kept; i < rows.size(); i++) {
            unwritten.forget(rows.get(i));
        }
        if (kept < rows.size()) {
            countDrop("the request log cannot write (" + problem + ") and its memory buffer is full",
                    rows.size() - kept);
        }
    }

    /** Writes the waiting rows in batches until they are all in or the database refuses again. */
    private void retryWaiting() {
        while (!waiting.isEmpty()) {
            List<RequestRecord> chunk = new ArrayList<>(Math.min(batchSize, waiting.size()));
            var it = waiting.iterator();
            while (it.hasNext() && chunk.size() < batchSize) {
                chunk.add(it.next());
            }
            List<RequestLogRow> rows = chunk.stream().map(RowMapping::toRow).toList();
            try {
                unwritten.written(chunk, () -> insert(rows));
            } catch (RuntimeException e) {
                Optional<String> storage = storageProblem(e);
                if (storage.isPresent()) {
                    degraded(storage.get());
                    return;
                }
                // Not the storage: let the row-by-row path sort out the bad rows of this chunk.
                for (int i = 0; i < chunk.size(); i++) {
                    waiting.pollFirst();
                }
                waitingCount = waiting.size();
                write(chunk);
                continue;
            }
            for (int i = 0; i < chunk.size(); i++) {
                waiting.pollFirst();
            }
            waitingCount = waiting.size();
            written.addAndGet(rows.size());
        }
        recovered();
    }

    private void degraded(String reason) {
        nextRetryNanos = System.nanoTime() + RETRY_INTERVAL.toNanos();
        if (!reason.equals(problem)) {
            LOG.error("request log: {}; rows wait in memory (up to {}) and are written when it can write again",
                    reason, waitingCapacity);
        }
        problem = reason;
    }

    private void recovered() {
        if (problem != null && waiting.isEmpty()) {
            LOG.warn("request log: writing again ({} was the problem)", problem);
            problem = null;
        }
    }

    /**
     * The failure in words when it is the storage's (full, I/O error, read-only, busy): worth waiting out rather than
     * blaming the rows. Empty for anything else.
     */
    private Optional<String> storageProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            int code = t instanceof SQLException sql ? sql.getErrorCode() & 0xff : -1;
            if (code == 13 || message.contains("disk is full") || message.contains("no space left")
                    || message.contains("sqlite_full")) {
                return Optional.of("disk full at " + location);
            }
            if (code == 10 || message.contains("disk i/o error") || message.contains("sqlite_ioerr")) {
                return Optional.of("disk I/O error at " + location + " (the disk may be full)");
            }
            if (code == 8 || message.contains("readonly") || message.contains("read-only")) {
                return Optional.of("the database at " + location + " is read-only");
            }
            if (code == 5 || code == 6 || message.contains("database is locked") || message.contains("sqlite_busy")) {
                return Optional.of("the database at " + location + " stays locked");
            }
            if (message.contains("connection") && (message.contains("refused") || message.contains("closed")
                    || message.contains("not available"))) {
                return Optional.of("the database at " + location + " is unreachable");
            }
        }
        return Optional.empty();
    }

    private void countDrop(String why, long rows) {
        long total = dropped.addAndGet(rows);
        long now = System.nanoTime();
        long last = lastDropLogNanos.get();
        // Every drop is counted (metrics, health); the warning comes at most every ten seconds, with the total.
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLogNanos.compareAndSet(last, now)) {
            LOG.warn("request log rows dropped: {} ({} dropped so far)", why, total);
        }
    }

    /** Stops accepting rows, writes every queued and waiting row it can, and waits for the writer to finish. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Rows that raced with close() are written here rather than lost.
        List<RequestRecord> rest = new ArrayList<>();
        queue.drainTo(rest);
        if (!waiting.isEmpty()) {
            retryWaiting();
        }
        for (int from = 0; from < rest.size(); from += batchSize) {
            write(rest.subList(from, Math.min(rest.size(), from + batchSize)));
        }
        if (!waiting.isEmpty()) {
            int lost = waiting.size();
            waiting.forEach(unwritten::forget);
            waiting.clear();
            waitingCount = 0;
            dropped.addAndGet(lost);
            LOG.error("request log: {} rows could not be written before shutdown ({})", lost, problem);
        }
        statements.close();
    }
}
