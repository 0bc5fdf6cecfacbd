package io.proxygate.application.admin;

import io.proxygate.application.pool.PoolChange;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.proxy.RequestObserver;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live feed: request starts and ends and pool changes, published to subscribers (the admin event stream) as
 * they happen, plus the state a new subscriber starts from (requests running now, the last finished ones).
 * Subscribers are called on the publishing thread, which is a request thread: they must only hand the event off.
 * Memory is bounded: {@value #MAX_RUNNING} running requests at most (the oldest is forgotten) and
 * {@value #RECENT} finished ones. Every request passes through here two or three times, so the running requests
 * are a concurrent map rather than one lock that all request threads queue on.
 */
public final class LiveEvents implements RequestObserver {
    public static final int RECENT = 100;
    static final int MAX_RUNNING = 1000;
    private static final System.Logger LOG = System.getLogger(LiveEvents.class.getName());

    /** A request that started and has not finished yet. */
    public record Running(String requestId, Instant startedAt, String route, String model,
                          Optional<CredentialId> credential) {
    }

    /** Stops the deliveries to one subscriber. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final InstantSource clock;
    private final List<Consumer<LiveEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Deque<RequestRecord> finished = new ArrayDeque<>();

    public LiveEvents(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Delivers every later event to {@code subscriber} until the subscription is closed. */
    public Subscription subscribe(Consumer<LiveEvent> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** Requests running now, oldest first. */
    public List<Running> running() {
        List<Running> out = new ArrayList<>(running.values());
        out.sort(Comparator.comparing(Running::startedAt));
        return out;
    }

    /** The last finished requests, newest first. */
    public List<RequestRecord> recentlyFinished() {
        synchronized (finished) {
            return List.copyOf(finished);
        }
    }

    /** A request log that also publishes each row as a {@link LiveEvent.RequestFinished}. */
    public RequestLogPort recording(RequestLogPort log) {
        Objects.requireNonNull(log, "log");
        return new RequestLogPort() {
            @Override
            public void append(RequestRecord record) {
                log.append(record);
                finished(record);
            }

            @Override
            public List<RequestRecord> recent(int limit) {
                return log.recent(limit);
            }
        };
    }

    @Override
    public void started(String requestId, Instant startedAt, String route, String model) {
        if (running.size() >= MAX_RUNNING) {
            // A start whose end never came (it should not happen) must not grow the map forever.
            running.values().stream().min(Comparator.comparing(Running::startedAt))
                    .ifPresent(oldest -> running.remove(oldest.requestId(), oldest));
        }
        running.put(requestId, new Running(requestId, startedAt, route, model, Optional.empty()));
        publish(new LiveEvent.RequestStarted(requestId, startedAt, route, model));
    }

    @Override
    public void attempting(String requestId, CredentialId credential) {
        running.computeIfPresent(requestId, (id, r) -> new Running(id, r.startedAt(), r.route(), r.model(),
                Optional.of(credential)));
        publish(new LiveEvent.RequestAttempt(requestId, clock.instant(), credential));
    }

    /** A request ended (from the proxy, or through {@link #recording}). */
    @Override
    public void finished(RequestRecord record) {
        running.remove(record.requestId());
        synchronized (finished) {
            finished.addFirst(record);
            while (finished.size() > RECENT) {
                finished.removeLast();
            }
        }
        publish(new LiveEvent.RequestFinished(record, clock.instant()));
    }

    /** For {@code CredentialPool.addListener}. */
    public void poolChanged(PoolChange change) {
        publish(new LiveEvent.PoolChanged(change, clock.instant()));
    }

    private void publish(LiveEvent event) {
        for (Consumer<LiveEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                // One broken subscriber must not fail the request that published.
                LOG.log(System.Logger.Level.WARNING, "live event subscriber failed: {0}", e.toString());
            }
        }
    }
}
