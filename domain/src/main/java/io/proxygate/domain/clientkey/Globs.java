package io.proxygate.domain.clientkey;

import java.util.Locale;

/** Shell-style globs for model names: {@code *} matches any run of characters, {@code ?} one; case-insensitive. */
public final class Globs {
    private Globs() {
    }

    /** Iterative matcher with one back-track point: linear in practice, no regex (globs come from admins). */
    public static boolean matches(String glob, String text) {
        String g = glob.toLowerCase(Locale.ROOT);
        String t = text.toLowerCase(Locale.ROOT);
        int gi = 0;
        int ti = 0;
        int star = -1;
        int mark = 0;
        while (ti < t.length()) {
            if (gi < g.length() && (g.charAt(gi) == '?' || g.charAt(gi) == t.charAt(ti))) {
                gi++;
                ti++;
            } else if (gi < g.length() && g.charAt(gi) == '*') {
                star = gi++;
                mark = ti;
            } else if (star >= 0) {
                gi = star + 1;
                ti = ++mark;
            } else {
                return false;
            }
        }
        while (gi < g.length() && g.charAt(gi) == '*') {
            gi++;
        }
        return gi == g.length();
    }
}
