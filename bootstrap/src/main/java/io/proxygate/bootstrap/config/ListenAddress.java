package io.proxygate.bootstrap.config;

/** A {@code host:port} to listen on. */
public record ListenAddress(String host, int port) {
    /**
     * Whether the server listens on loopback only: {@code localhost}, {@code ::1} or an IPv4 literal in 127.0.0.0/8.
     * A host name that merely starts with "127." (such as {@code 127.example.com}) is not loopback.
     */
    public boolean isLoopback() {
        return host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || isLoopbackIpv4(host);
    }

    private static boolean isLoopbackIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
