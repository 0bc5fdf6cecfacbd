package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.admin.LiveEvent;
import io.proxygate.application.admin.LiveEvents;
import io.proxygate.domain.credential.CredentialId;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /admin/events}: a server-sent-events feed for the dashboard's Live tab. It opens with a {@code snapshot}
 * (requests running now and the last finished ones), then sends {@code request_started}, {@code request_attempt},
 * {@code request_finished} and {@code pool_changed} as they happen, and a comment every 15 s so dead connections
 * are noticed. Each connection buffers at most {@value #QUEUE} events; a client too slow to keep up gets a fresh
 * {@code snapshot} instead of the events it missed.
 */
@Path("/admin/events")
public final class AdminEventsResource implements AutoCloseable {
    static final int QUEUE = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveEvents events;
    private final Duration heartbeat;
    private final AtomicBoolean closed = new AtomicBoolean();

    public AdminEventsResource(LiveEvents events) {
        this(events, Duration.ofSeconds(15));
    }

    AdminEventsResource(LiveEvents events, Duration heartbeat) {
        this.events = Objects.requireNonNull(events, "events");
        this.heartbeat = heartbeat;
    }

    @GET
    public Response stream() {
        StreamingOutput body = this::pump;
        return Response.ok(body, "text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    /** Ends every open stream (at shutdown) within a second. */
    @Override
    public void close() {
        closed.set(true);
    }

    private void pump(OutputStream out) throws IOException {
        BlockingQueue<LiveEvent> queue = new ArrayBlockingQueue<>(QUEUE);
        AtomicBoolean overflowed = new AtomicBoolean();
        try (LiveEvents.Subscription ignored = events.subscribe(e -> {
            if (!queue.offer(e)) {
                overflowed.set(true);
            }
        })) {
            send(out, "snapshot", snapshot());
            long idleNanos = 0;
            while (!closed.get()) {
                LiveEvent event = queue.poll(1, TimeUnit.SECONDS);
                if (overflowed.getAndSet(false)) {
                    queue.clear();
                    send(out, "snapshot", snapshot());
                    idleNanos = 0;
                    continue;
                }
                if (event == null) {
                    idleNanos += TimeUnit.SECONDS.toNanos(1);
                    if (idleNanos >= heartbeat.toNanos()) {
                        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        idleNanos = 0;
                    }
                    continue;
                }
                idleNanos = 0;
                send(out, name(event), data(event));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> snapshot() {
        return Json.object()
                .put("running", events.running().stream().map(r -> Json.object().put("id", r.requestId())
                        .put("started_at", r.startedAt()).put("route", r.route()).put("model", r.model())
                        .opt("credential", r.credential().map(CredentialId::value)).build()).toList())
                .put("finished", events.recentlyFinished().stream().map(AdminViews::request).toList())
                .build();
    }

    static String name(LiveEvent event) {
        return switch (event) {
            case LiveEvent.RequestStarted s -> "request_started";
            case LiveEvent.RequestAttempt a -> "request_attempt";
            case LiveEvent.RequestFinished f -> "request_finished";
            case LiveEvent.PoolChanged p -> "pool_changed";
        };
    }

    static Map<String, Object> data(LiveEvent event) {
        return switch (event) {
            case LiveEvent.RequestStarted s -> Json.object().put("id", s.requestId()).put("started_at", s.at())
                    .put("route", s.route()).put("model", s.model()).build();
            case LiveEvent.RequestAttempt a -> Json.object().put("id", a.requestId()).put("at", a.at())
                    .put("credential", a.credential().value()).build();
            case LiveEvent.RequestFinished f -> AdminViews.request(f.record());
            case LiveEvent.PoolChanged p -> Json.object().put("at", p.at())
                    .put("added", p.change().added().stream().map(CredentialId::value).sorted().toList())
                    .put("changed", p.change().changed().stream().map(CredentialId::value).sorted().toList())
                    .put("removed", p.change().removed().stream().map(CredentialId::value).sorted().toList())
                    .build();
        };
    }

    private static void send(OutputStream out, String event, Map<String, Object> data) throws IOException {
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IOException("cannot encode a live event", e);
        }
        out.write(("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
