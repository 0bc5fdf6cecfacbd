package io.proxygate.bootstrap;

import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Background work on one daemon thread: each task runs at a fixed delay, and a failing task is logged on its first
 * failure and then on every 100th in a row, so a database outage cannot flood the log; the next tick simply tries
 * again. An optional last step runs once on stop (for example writing what is still in memory).
 */
final class PeriodicTasks implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicTasks.class);

    private final String threadName;
    private final List<Task> tasks = new ArrayList<>();
    private Runnable onStop = () -> { };
    private ScheduledExecutorService executor;

    PeriodicTasks(String threadName) {
        this.threadName = threadName;
    }

    /** Runs {@code work} every {@code every}, the first time after {@code firstAfter}; {@code what} names it in logs. */
    PeriodicTasks every(Duration every, Duration firstAfter, String what, Runnable work) {
        tasks.add(new Task(every, firstAfter, what, work));
        return this;
    }

    /** Runs {@code work} once more on stop, after the periodic tasks ended. */
    PeriodicTasks onStop(Runnable work) {
        this.onStop = work;
        return this;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(threadName).daemon(true)
                .factory());
        for (Task task : tasks) {
            executor.scheduleWithFixedDelay(task::run, task.firstAfter.toMillis(), task.every.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        onStop.run();
    }

    private static final class Task {
        private final Duration every;
        private final Duration firstAfter;
        private final String what;
        private final Runnable work;
        private long failures;

        Task(Duration every, Duration firstAfter, String what, Runnable work) {
            this.every = every;
            this.firstAfter = firstAfter;
            this.what = what;
            this.work = work;
        }

        void run() {
            try {
                work.run();
                failures = 0;
            } catch (RuntimeException e) {
                if (failures++ % 100 == 0) {
                    LOG.warn("cannot {} ({} failures in a row): {}", what, failures, e.toString());
                }
            }
        }
    }
}
