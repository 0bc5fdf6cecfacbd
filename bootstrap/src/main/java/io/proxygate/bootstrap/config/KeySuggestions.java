package io.proxygate.bootstrap.config;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" for misspelt config keys and values: the nearest known name by edit distance, when near enough. */
final class KeySuggestions {
    private KeySuggestions() {
    }

    /**
     * The candidate nearest to {@code input}, if it is within a third of the input's length (at least one edit, at
     * most three): close enough to be a typo, not a different word.
     */
    static Optional<String> nearest(String input, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(input, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.min(3, Math.max(1, input.length() / 3));
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
