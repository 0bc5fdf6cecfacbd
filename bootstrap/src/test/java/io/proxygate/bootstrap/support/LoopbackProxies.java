package io.proxygate.bootstrap.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * Real outbound proxies on loopback for system tests: Debian's {@code tinyproxy} (HTTP, with Basic auth) and
 * {@code microsocks} (SOCKS5, with a user name and password). Each binds its outgoing connections to its own
 * loopback address ({@code 127.0.0.x}), so a loopback upstream can tell from the peer address which proxy a request
 * came through (127.0.0.1: none). Tests skip when a binary is absent.
 */
public final class LoopbackProxies implements AutoCloseable {
    /** One started proxy: where it listens and the source address its outgoing connections use. */
    public record Started(int port, String outgoingAddress, Path log) {
    }

    private final List<Process> processes = new ArrayList<>();
    private final Path dir;

    public LoopbackProxies(Path dir) {
        this.dir = dir;
    }

    public static boolean available(String binary) {
        for (String p : List.of("/usr/bin/", "/usr/sbin/", "/usr/local/bin/")) {
            if (Files.isExecutable(Path.of(p + binary))) {
                return true;
            }
        }
        return false;
    }

    /** tinyproxy on a free port requiring Basic auth {@code user}:{@code password}. */
    public Started tinyproxy(String user, String password, String outgoingAddress) throws IOException {
        int port = freePort();
        Path log = dir.resolve("tinyproxy-" + port + ".log");
        Path conf = dir.resolve("tinyproxy-" + port + ".conf");
        Files.writeString(conf, """
                Port %d
                Listen 127.0.0.1
                Bind %s
                Timeout 60
                LogLevel Info
                LogFile "%s"
                MaxClients 50
                Allow 127.0.0.1
                BasicAuth %s %s
                ConnectPort 0
                DisableViaHeader Yes
                """.formatted(port, outgoingAddress, log, user, password));
        start(List.of("tinyproxy", "-d", "-c", conf.toString()), dir.resolve("tinyproxy-" + port + ".out"));
        awaitListening(port);
        return new Started(port, outgoingAddress, log);
    }

    /** microsocks on a free port requiring {@code user}:{@code password}. */
    public Started microsocks(String user, String password, String outgoingAddress) throws IOException {
        int port = freePort();
        Path log = dir.resolve("microsocks-" + port + ".log");
        start(List.of("microsocks", "-i", "127.0.0.1", "-p", String.valueOf(port), "-u", user, "-P", password,
                "-b", outgoingAddress), log);
        awaitListening(port);
        return new Started(port, outgoingAddress, log);
    }

    private void start(List<String> command, Path output) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        processes.add(process);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
