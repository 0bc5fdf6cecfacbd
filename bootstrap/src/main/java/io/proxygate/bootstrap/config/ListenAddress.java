package io.proxygate.bootstrap.config;

/** A {@code host:port} to listen on. */
public record ListenAddress(String host, int port) {
    public boolean isLoopback() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
