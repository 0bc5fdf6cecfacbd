package io.proxygate.application.usage;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.UsagePollException;
import io.proxygate.application.port.out.UsagePollPort;
import io.proxygate.application.routing.AttemptFailure;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.routing.UsageWindows;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * Polls the usage windows of every enabled subscription account (ChatGPT and Claude) on a schedule and hands them
 * to the router. The first round runs at {@link #start()}, then one every {@code interval} give or take
 * {@code jitter}; within a round at most {@code concurrency} accounts are polled at once. Disabled accounts and
 * accounts that need a new login are skipped. A 401 triggers one token refresh and one retry. Failures are counted
 * per account ({@link #pollStatus()}) and never stop the schedule.
 */
public final class UsagePollService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UsagePollService.class.getName());

    /**
     * @param interval    time between rounds ({@code [wham] poll_interval}, default 5 min)
     * @param concurrency accounts polled at once
     * @param jitter      each round starts up to this much earlier or later, so instances and restarts spread out
     */
    public record Settings(Duration interval, int concurrency, Duration jitter) {
        public static final Settings DEFAULT = new Settings(Duration.ofMinutes(5), 4, Duration.ofSeconds(30));

        public Settings {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(jitter, "jitter");
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("interval must be positive");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
            if (jitter.isNegative() || jitter.compareTo(interval) >= 0) {
                throw new IllegalArgumentException("jitter must be >= 0 and shorter than the interval");
            }
        }

        public static Settings every(Duration interval) {
            Duration jitter = interval.dividedBy(10);
            return new Settings(interval, DEFAULT.concurrency(),
                    jitter.compareTo(DEFAULT.jitter()) > 0 ? DEFAULT.jitter() : jitter);
        }
    }

    private final CredentialPool pool;
    private final CredentialRouter router;
    private final TokenKeeper tokens;
    private final UsagePollPort port;
    private final InstantSource clock;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final RandomGenerator random;
    private final ThreadPoolExecutor workers;
    private final Map<CredentialId, PollStatus> statuses = new ConcurrentHashMap<>();
    private final Object roundLock = new Object();

    private ScheduledFuture<?> nextRound;
    private boolean started;
    private volatile boolean closed;

    /** A service with its own daemon threads. */
    public UsagePollService(CredentialPool pool, CredentialRouter router, TokenKeeper tokens, UsagePollPort port,
                            InstantSource clock, Settings settings) {
        this(pool, router, tokens, port, clock, settings, null, RandomGenerator.getDefault());
    }

    /**
     * @param scheduler times the rounds (a round blocks its thread while it runs); {@code null} to let the service
     *                  own a single daemon thread
     * @param random    source of the jitter
     */
    public UsagePollService(CredentialPool pool, CredentialRouter router, TokenKeeper tokens, UsagePollPort port,
                            InstantSource clock, Settings settings, ScheduledExecutorService scheduler,
                            RandomGenerator random) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.router = Objects.requireNonNull(router, "router");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.port = Objects.requireNonNull(port, "port");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.ownsScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler
                : Executors.newSingleThreadScheduledExecutor(daemonThreads("usage-poll-timer"));
        this.workers = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("usage-poll"));
        this.workers.allowCoreThreadTimeOut(true);
    }

    /** Runs the first round now (in the background) and schedules the next ones. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        scheduleRound(Duration.ZERO);
    }

    /** Polls every due account once and returns when all polls have finished. Rounds never overlap. */
    public void pollNow() {
        synchronized (roundLock) {
            if (closed) {
                return;
            }
            List<Credential> due = dueAccounts();
            List<Future<?>> polls = new ArrayList<>(due.size());
            for (Credential account : due) {
                polls.add(workers.submit(() -> pollOne(account)));
            }
            for (Future<?> poll : polls) {
                try {
                    poll.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (CancellationException e) {
                    return;
                } catch (ExecutionException e) {
                    LOG.log(System.Logger.Level.ERROR, "usage poll crashed", e.getCause());
                }
            }
        }
    }

    /** Polling state of every account polled so far that is still in the pool, by credential id. */
    public List<PollStatus> pollStatus() {
        return statuses.values().stream().sorted(Comparator.comparing(s -> s.id().value())).toList();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (nextRound != null) {
                nextRound.cancel(false);
            }
        }
        // Queued polls never run after shutdownNow: cancel them so a round waiting on them returns.
        for (Runnable queued : workers.shutdownNow()) {
            if (queued instanceof Future<?> f) {
                f.cancel(true);
            }
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
    }

    private List<Credential> dueAccounts() {
        Set<CredentialId> needsLogin = router.statuses().stream()
                .filter(s -> s.needsLoginReason().isPresent())
                .map(CredentialStatus::id)
                .collect(Collectors.toSet());
        CredentialPool.Snapshot snapshot = pool.snapshot();
        statuses.keySet().retainAll(snapshot.entries().keySet());
        return snapshot.credentials().stream()
                .filter(port::supports)
                .filter(c -> !c.disabled())
                .filter(c -> !needsLogin.contains(c.id()))
                .toList();
    }

    private void pollOne(Credential account) {
        CredentialId id = account.id();
        Instant at = clock.instant();
        try {
            UsageWindows windows;
            try {
                windows = port.fetch(account);
            } catch (UsagePollException e) {
                if (!e.unauthorized()) {
                    failed(id, at, e.getMessage(), e);
                    return;
                }
                Credential renewed;
                try {
                    renewed = tokens.refreshAfterUnauthorized(account);
                } catch (CredentialUnavailable u) {
                    failed(id, at, "401, token refresh failed: " + u.getMessage(), e);
                    if (u.permanent()) {
                        router.onFailure(id, new AttemptFailure.NeedsLogin(u.getMessage()));
                    }
                    return;
                }
                try {
                    windows = port.fetch(renewed);
                } catch (UsagePollException again) {
                    failed(id, at, again.getMessage() + " (after token refresh)", again);
                    return;
                }
            }
            router.onWindows(id, windows);
            PollStatus before = statuses.get(id);
            statuses.put(id, (before == null ? PollStatus.never(id) : before).succeeded(at));
            if (before != null && before.consecutiveFailures() > 0) {
                LOG.log(System.Logger.Level.INFO, "usage poll for {0} works again after {1} failures", id,
                        before.consecutiveFailures());
            }
        } catch (RuntimeException e) {
            // One account's surprise must not stop the others or the schedule.
            failed(id, at, "unexpected error: " + e, null);
            LOG.log(System.Logger.Level.ERROR, "usage poll for " + id + " crashed", e);
        }
    }

    private void failed(CredentialId id, Instant at, String error, UsagePollException cause) {
        PollStatus now = statuses.compute(id, (k, old) -> (old == null ? PollStatus.never(k) : old).failed(at, error));
        boolean rateLimited = cause != null && cause.status().orElse(0) == 429;
        System.Logger.Level level = now.consecutiveFailures() > 1 ? System.Logger.Level.DEBUG
                : rateLimited ? System.Logger.Level.INFO : System.Logger.Level.WARNING;
        LOG.log(level, "usage poll for {0} failed ({1} in a row): {2}", id, now.consecutiveFailures(), error);
    }

    private synchronized void scheduleRound(Duration delay) {
        if (closed) {
            return;
        }
        nextRound = scheduler.schedule(this::round, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            pollNow();
        } finally {
            scheduleRound(nextDelay());
        }
    }

    private Duration nextDelay() {
        long jitterMs = settings.jitter().toMillis();
        long offset = jitterMs == 0 ? 0 : random.nextLong(-jitterMs, jitterMs + 1);
        return settings.interval().plusMillis(offset);
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, ... */
    private static ThreadFactory daemonThreads(String name) {
        return Thread.ofPlatform().name(name + "-", 1).daemon().factory();
    }
}
