package io.proxygate.bootstrap.fidelity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * A TCP relay on loopback in front of ProxyGate that keeps a copy of every byte a client sends: the client talks to
 * the tee as if it were ProxyGate, so what it recorded is exactly what the client put on the wire.
 */
public final class RecordingTee implements AutoCloseable {
    private final ServerSocket server;
    private final IntSupplier targetPort;
    private final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** {@code targetPort} is asked per connection: the server behind may restart on another port between tests. */
    public RecordingTee(IntSupplier targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Every request recorded so far, connection by connection, in order. */
    public List<WireRequest> requests() {
        List<WireRequest> all = new ArrayList<>();
        for (ByteArrayOutputStream recorded : connections) {
            byte[] bytes;
            synchronized (recorded) {
                bytes = recorded.toByteArray();
            }
            InputStream in = new ByteArrayInputStream(bytes);
            try {
                Optional<WireRequest> r;
                while ((r = WireRequest.read(in)).isPresent()) {
                    all.add(r.get());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    public void clear() {
        connections.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            try {
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort.getAsInt());
                sockets.add(client);
                sockets.add(target);
                ByteArrayOutputStream recorded = new ByteArrayOutputStream();
                connections.add(recorded);
                Thread.ofVirtual().start(() -> pump(client, target, recorded));
                Thread.ofVirtual().start(() -> pump(target, client, null));
            } catch (IOException e) {
                // nothing listens behind the tee: the client sees its connection closed
                try {
                    client.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(buffer, 0, n);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side went away: the other pump ends on its own
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
