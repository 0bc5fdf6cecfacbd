package io.proxygate.domain.routing;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads what an upstream's error body says, in one forward pass and without regular expressions: the bodies come
 * from servers we do not control, and a backtracking pattern over a long body used to overflow the stack. Every
 * method here is linear in the input (each character is looked at a bounded number of times), whatever the input.
 */
public final class ErrorText {
    /** A message longer than this is cut: it only ever ends up in a one-line error. */
    public static final int MAX_MESSAGE_CHARS = 2_000;

    private ErrorText() {
    }

    /** The first JSON string value of a {@code "message"} key in {@code body}, decoded; empty when there is none. */
    public static Optional<String> message(String body) {
        return body == null ? Optional.empty() : messageFrom(body, 0);
    }

    /**
     * The message of the body's {@code "error": {...}} object (the first {@code "message"} after the first
     * {@code "error": {}}); empty when there is no such object or message.
     */
    public static Optional<String> errorObjectMessage(String body) {
        if (body == null) {
            return Optional.empty();
        }
        int brace = valueStart(body, "\"error\"", '{', 0);
        return brace < 0 ? Optional.empty() : messageFrom(body, brace + 1);
    }

    private static Optional<String> messageFrom(String body, int start) {
        int quote = valueStart(body, "\"message\"", '"', start);
        if (quote < 0) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        // An unterminated string runs to the end of the body: a later key could only be read inside that tail, so stop
        // here rather than rescan it once per key (which would be quadratic).
        return readString(body, quote + 1, out) < 0 ? Optional.empty() : Optional.of(out.toString());
    }

    /**
     * The index of the first value that opens with {@code opener} after {@code quotedKey} and a colon, searching from
     * {@code from}; -1 when there is none. Keys whose value opens otherwise are passed over.
     */
    private static int valueStart(String body, String quotedKey, char opener, int from) {
        while (true) {
            int key = body.indexOf(quotedKey, from);
            if (key < 0) {
                return -1;
            }
            from = key + quotedKey.length();
            int i = skipSpace(body, from);
            if (i < body.length() && body.charAt(i) == ':') {
                i = skipSpace(body, i + 1);
                if (i < body.length() && body.charAt(i) == opener) {
                    return i;
                }
            }
        }
    }

    /**
     * Decodes the JSON string starting after its opening quote into {@code out} (line breaks and tabs become spaces,
     * capped at {@link #MAX_MESSAGE_CHARS}); returns the index after the closing quote, or -1 when it never closes.
     */
    private static int readString(String s, int i, StringBuilder out) {
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    return -1;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n', 'r', 't', 'b', 'f' -> c = ' ';
                    case 'u' -> {
                        if (i + 4 <= s.length() && isHex(s, i, 4)) {
                            c = (char) Integer.parseInt(s, i, i + 4, 16);
                            i += 4;
                        } else {
                            c = 'u';
                        }
                    }
                    default -> c = e;
                }
            }
            if (out.length() < MAX_MESSAGE_CHARS) {
                out.append(c);
            }
        }
        return -1;
    }

    private static boolean isHex(String s, int from, int count) {
        for (int k = from; k < from + count; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * A delay written as {@code quotaResetDelay: 5s} / {@code "quotaResetDelay":"1500ms"} (any case), in nanoseconds;
     * empty when absent or zero.
     */
    public static Optional<Long> quotaResetDelayNanos(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lower.indexOf("quotaresetdelay", from);
            if (at < 0) {
                return Optional.empty();
            }
            from = at + 15;
            int i = from;
            while (i < lower.length() && (lower.charAt(i) == ':' || lower.charAt(i) == '"'
                    || Character.isWhitespace(lower.charAt(i)))) {
                i++;
            }
            if (i == from) {
                continue;
            }
            int digits = i;
            i = skipDigits(lower, i);
            if (i == digits) {
                continue;
            }
            if (i + 1 < lower.length() && lower.charAt(i) == '.' && isDigit(lower, i + 1)) {
                i = skipDigits(lower, i + 1);
            }
            String number = lower.substring(digits, i);
            i = skipSpace(lower, i);
            long unit;
            if (lower.startsWith("ms", i)) {
                unit = 1_000_000L;
            } else if (lower.startsWith("s", i)) {
                unit = 1_000_000_000L;
            } else {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(number);
            } catch (NumberFormatException e) {
                continue;
            }
            long nanos = (long) Math.min(value * unit, (double) Long.MAX_VALUE);
            return nanos > 0 ? Optional.of(nanos) : Optional.empty();
        }
    }

    /**
     * Seconds written as {@code retry after 30 sec}, {@code retry 30s} or {@code Retry after 5 s} (any case; the
     * unit must end the word); empty when absent.
     */
    public static Optional<Long> retryAfterSeconds(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int from = 0;
        while (true) {
            int at = lower.indexOf("retry", from);
            if (at < 0) {
                return Optional.empty();
            }
            from = at + 5;
            int i = skipSpace(lower, from);
            if (i == from) {
                continue;
            }
            if (lower.startsWith("after", i)) {
                int afterWord = i + 5;
                int j = skipSpace(lower, afterWord);
                if (j > afterWord) {
                    i = j;
                }
            }
            int digits = i;
            i = skipDigits(lower, i);
            if (i == digits || i - digits > 18) {
                continue;
            }
            long seconds = Long.parseLong(lower, digits, i, 10);
            i = skipSpace(lower, i);
            boolean unit = lower.startsWith("sec", i)
                    || (lower.startsWith("s", i) && (i + 1 >= lower.length() || !isWordChar(lower.charAt(i + 1))));
            if (unit) {
                return Optional.of(seconds);
            }
        }
    }

    private static int skipDigits(String s, int i) {
        while (isDigit(s, i)) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
