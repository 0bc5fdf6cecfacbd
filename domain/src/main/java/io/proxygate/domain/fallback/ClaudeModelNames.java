package io.proxygate.domain.fallback;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings the many spellings of a Claude model name to one form, so that fallback rules match what clients send:
 * {@code Claude Opus 4.7}, {@code claude-opus4.7} and {@code claude_opus_4_7} all become {@code claude-opus-4-7}.
 * A trailing {@code @version} suffix (Vertex AI's form) is kept; unknown names are only cleaned up.
 */
public final class ClaudeModelNames {
    private static final Pattern DASHES = Pattern.compile("-+");
    private static final Pattern WITH_PREFIX =
            Pattern.compile("(?:^|-)claude-?(opus|sonnet|haiku)-?([0-9]+)-?([0-9]+)(?:-|$)");
    private static final Pattern WITHOUT_PREFIX =
            Pattern.compile("(?:^|-)(opus|sonnet|haiku)-?([0-9]+)-?([0-9]+)(?:-|$)");

    private ClaudeModelNames() {
    }

    /** The canonical form of {@code model}; empty for a null or blank name. */
    public static String normalise(String model) {
        if (model == null) {
            return "";
        }
        String s = model.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return "";
        }
        s = s.replace('_', '-').replace(' ', '-').replace('.', '-');
        s = trimDashes(DASHES.matcher(s).replaceAll("-"));
        String suffix = "";
        int at = s.indexOf('@');
        if (at >= 0) {
            suffix = s.substring(at);
            s = s.substring(0, at);
        }
        for (Pattern pattern : new Pattern[] {WITH_PREFIX, WITHOUT_PREFIX}) {
            Matcher m = pattern.matcher(s);
            if (m.find()) {
                return "claude-" + m.group(1) + "-" + m.group(2) + "-" + m.group(3) + suffix;
            }
        }
        return s + suffix;
    }

    static String trimDashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '-') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '-') {
            end--;
        }
        return s.substring(start, end);
    }
}
