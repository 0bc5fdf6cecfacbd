package io.proxygate.bootstrap.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that misbehaves at the TCP level, which an HTTP server library cannot: resets a connection before or
 * after the first byte, dribbles its headers (slow loris), never answers, stops mid-stream, storms 429s or 500s.
 * Raw sockets on loopback, one virtual thread per connection. It counts the connections it holds open, so a test can
 * check that the proxy released every one.
 */
public final class FaultyUpstream implements AutoCloseable {
    /** What every connection gets, until changed. */
    public enum Behaviour {
        RATE_LIMITED, SERVER_ERROR, RESET_BEFORE_HEAD, RESET_MID_JSON, RESET_AFTER_FIRST_EVENT, SLOW_LORIS_HEAD, NEVER_ANSWERS,
        STALLS_AFTER_FIRST_EVENT,
        /** An event stream framed by the connection alone (no length, not chunked) that closes before its end. */
        UNFRAMED_CUT,
        /** A chunked event stream that sends a keep-alive-free event every 200 ms and never ends. */
        DRIPPING_STREAM
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger awaitingRequest = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Behaviour behaviour = Behaviour.SERVER_ERROR;

    public FaultyUpstream() throws IOException {
        server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("faulty-upstream-accept").start(this::acceptLoop);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public void behave(Behaviour b) {
        behaviour = b;
    }

    /** Connections accepted and not yet closed by either side. */
    public int openConnections() {
        return open.get();
    }

    public int acceptedConnections() {
        return accepted.get();
    }

    /** Requests read in full so far. */
    public int requestsReceived() {
        return requests.get();
    }

    /** Open connections on which no request has arrived yet (idle in the proxy's pool). */
    public int connectionsAwaitingRequest() {
        return awaitingRequest.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.incrementAndGet();
                accepted.incrementAndGet();
                threads.submit(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            awaitingRequest.incrementAndGet();
            boolean requested;
            try {
                requested = readRequest(in);
            } finally {
                awaitingRequest.decrementAndGet();
            }
            if (!requested) {
                return;
            }
            requests.incrementAndGet();
            switch (behaviour) {
                case RATE_LIMITED -> respond(out, 429, "Too Many Requests", "retry-after-ms: 20\r\n",
                        "{\"error\":{\"message\":\"rate limited by the faulty upstream\",\"type\":\"rate_limit_error\"}}");
                case SERVER_ERROR -> respond(out, 500, "Internal Server Error", "",
                        "{\"error\":{\"message\":\"the faulty upstream broke\",\"type\":\"server_error\"}}");
                case RESET_BEFORE_HEAD -> reset(socket);
                case RESET_MID_JSON -> {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"
                            + "{\"id\":\"chatcmpl-cut\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    pace(100);
                    reset(socket);
                }
                case RESET_AFTER_FIRST_EVENT -> {
                    startStream(out);
                    pace(100);
                    reset(socket);
                }
                case SLOW_LORIS_HEAD -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] drip = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                            .getBytes(StandardCharsets.US_ASCII);
                    // Three seconds of drip (past the proxy's response timeout), then silence until the proxy hangs up.
                    for (int i = 0; i < 30; i++) {
                        out.write(drip[i % drip.length]);
                        out.flush();
                        pace(100);
                    }
                    drainUntilClosed(in);
                }
                case NEVER_ANSWERS -> drainUntilClosed(in);
                case STALLS_AFTER_FIRST_EVENT -> {
                    startStream(out);
                    drainUntilClosed(in);
                }
                case UNFRAMED_CUT -> {
                    String event = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":"
                            + "{\"id\":\"resp_unframed\",\"object\":\"response\",\"status\":\"in_progress\","
                            + "\"output\":[]}}\n\n";
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                            + event).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    pace(100);
                    // an orderly close (FIN), with no response.completed: the body just stops
                }
                case DRIPPING_STREAM -> {
                    startStream(out);
                    byte[] delta = ("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                            + "\"delta\":\"x\"}\n\n").getBytes(StandardCharsets.UTF_8);
                    while (true) {
                        pace(200);
                        out.write((Integer.toHexString(delta.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(delta);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            }
        } catch (IOException gone) {
            // the proxy closed or reset its side: that is what these faults provoke
        } finally {
            open.decrementAndGet();
        }
    }

    private static void startStream(OutputStream out) throws IOException {
        String event = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_faulty\","
                + "\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}\n\n";
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void respond(OutputStream out, int status, String reason, String headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n" + headers + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static void reset(Socket socket) throws SocketException {
        socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
    }

    private static void pace(int millis) throws IOException {
        try {
            Thread.sleep(millis); // the fault's own pace, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("stopped", e);
        }
    }

    private static void drainUntilClosed(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
            // hold the connection open and silent until the proxy gives up on it
        }
    }

    /** Reads one request's head and body (Content-Length or chunked); false when the peer went away first. */
    private static boolean readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' || b == '\n') ? (matched + 1) : 0;
        }
        if (matched < 4) {
            return false;
        }
        String text = head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        int at = text.indexOf("content-length:");
        if (at >= 0) {
            int end = text.indexOf('\r', at);
            long length = Long.parseLong(text.substring(at + 15, end).trim());
            in.readNBytes((int) length);
        } else if (text.contains("transfer-encoding: chunked")) {
            while (true) {
                StringBuilder size = new StringBuilder();
                while ((b = in.read()) >= 0 && b != '\n') {
                    if (b != '\r') {
                        size.append((char) b);
                    }
                }
                int n = Integer.parseInt(size.toString().trim(), 16);
                in.readNBytes(n + 2);
                if (n == 0) {
                    break;
                }
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
