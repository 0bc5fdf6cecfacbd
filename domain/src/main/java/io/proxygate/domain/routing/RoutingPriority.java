package io.proxygate.domain.routing;

import java.util.Locale;
import java.util.Optional;

/** Which credential family is tried first. */
public enum RoutingPriority {
    ACCOUNT_FIRST("account-first"),
    APIKEY_FIRST("apikey-first");

    private final String wireName;

    RoutingPriority(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Case-insensitive: {@code Claude} and {@code claude} name the same priority. */
    public static Optional<RoutingPriority> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (RoutingPriority p : values()) {
            if (p.wireName.equals(wanted)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
