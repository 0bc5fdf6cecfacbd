package io.proxygate.bootstrap.cli;

import java.util.Collection;

/**
 * Column widths for the CLI's tables: wide enough for the longest value so the columns stay aligned, up to a cap
 * past which a value is cut with "..." (the command then shows it whole on a line of its own).
 */
final class TableCells {
    private TableCells() {
    }

    /** The longest of {@code values} (and the header), at least {@code min} and at most {@code max}. */
    static int width(String header, Collection<String> values, int min, int max) {
        int longest = Math.max(header.length(), values.stream().mapToInt(String::length).max().orElse(0));
        return Math.min(max, Math.max(min, longest));
    }

    /** {@code value} padded to {@code width}, or cut to it with "..." at the end. */
    static String fit(String value, int width) {
        if (value.length() <= width) {
            return value + " ".repeat(width - value.length());
        }
        return value.substring(0, width - 3) + "...";
    }

    static boolean fits(String value, int width) {
        return value.length() <= width;
    }
}
