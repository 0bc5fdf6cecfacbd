package io.proxygate.bootstrap.config;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for configuration values, each failing with a message that names the key and the expected form. */
final class Values {
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|d|h|m|s)");

    private Values() {
    }

    /**
     * Durations as {@code config.toml} writes them: {@code 1h}, {@code 5m}, {@code 30s}, {@code 1h30m},
     * {@code 500ms}.
     */
    static Duration duration(String key, String text) {
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = GO_DURATION_PART.matcher(s);
        long millis = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw bad(key, text, "a duration such as \"30s\", \"5m\", \"1h\" or \"1h30m\"");
            }
            double amount = Double.parseDouble(m.group(1));
            millis += (long) (amount * switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "d" -> 86_400_000L;
                case "m" -> 60_000L;
                default -> 3_600_000L;
            });
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            throw bad(key, text, "a duration such as \"30s\", \"5m\", \"1h\" or \"1h30m\"");
        }
        return Duration.ofMillis(millis);
    }

    /** {@link #duration}, with an optional leading sign: {@code "-5m"} is minus five minutes. */
    static Duration signedDuration(String key, String text) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        String magnitude = negative || s.startsWith("+") ? s.substring(1) : s;
        try {
            Duration d = duration(key, magnitude);
            return negative ? d.negated() : d;
        } catch (ConfigException e) {
            throw bad(key, text, "a duration such as \"30s\", \"5m\", \"1h\" or \"1h30m\"");
        }
    }

    /** {@code host:port}, with a numeric port; an empty host means all interfaces. */
    static ListenAddress address(String key, String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw bad(key, text, "host:port, e.g. \"127.0.0.1:19527\"");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw bad(key, text, "host:port, e.g. \"127.0.0.1:19527\"");
        }
        if (port < 0 || port > 65535) {
            throw bad(key, text, "host:port with a port from 0 to 65535");
        }
        return new ListenAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    static double fraction(String key, String text) {
        double v = number(key, text);
        if (v < 0 || v > 1) {
            throw bad(key, text, "a fraction from 0 to 1, e.g. 0.95");
        }
        return v;
    }

    static double nonNegative(String key, String text) {
        double v = number(key, text);
        if (v < 0) {
            throw bad(key, text, "a number of at least 0, e.g. 1.0");
        }
        return v;
    }

    static double number(String key, String text) {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(key, text, "a number, e.g. 1.0");
        }
    }

    /** A non-negative amount of US dollars, kept exact. */
    static java.math.BigDecimal money(String key, String text) {
        try {
            java.math.BigDecimal v = new java.math.BigDecimal(text.trim());
            if (v.signum() < 0) {
                throw bad(key, text, "an amount of US dollars of at least 0, e.g. 5 or 2.50");
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(key, text, "an amount of US dollars, e.g. 5 or 2.50");
        }
    }

    static long integer(String key, String text, long min) {
        return integer(key, text, min, Long.MAX_VALUE);
    }

    static long integer(String key, String text, long min, long max) {
        try {
            long v = Long.parseLong(text.trim());
            if (v < min || v > max) {
                throw bad(key, text, max == Long.MAX_VALUE ? "an integer of at least " + min
                        : "an integer from " + min + " to " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(key, text, "an integer, e.g. 5");
        }
    }

    static boolean bool(String key, String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw bad(key, text, "true or false");
        };
    }

    /** An http(s) URL; blank is allowed where the key is optional and is returned as "". */
    static String url(String key, String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return "";
        }
        try {
            URI uri = new URI(s);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw bad(key, text, "an http:// or https:// URL");
            }
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        } catch (java.net.URISyntaxException e) {
            throw bad(key, text, "an http:// or https:// URL");
        }
    }

    static ConfigException bad(String key, String value, String expected) {
        return new ConfigException("invalid config " + key + " = \"" + value + "\": expected " + expected);
    }
}
