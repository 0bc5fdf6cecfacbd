package io.proxygate.domain.routing;

import io.proxygate.domain.clientkey.Globs;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An operator's rule mapping an upstream error answer to what routing does ({@code [[routing.error_rules]]}),
 * checked before the built-in outcomes. It matches a status, optionally a text the body contains (case-insensitive)
 * or a regular expression it matches, and optionally a model glob.
 *
 * <p>Regular expressions are bounded three ways, since an operator's pattern runs on text an upstream chose: the
 * pattern is at most {@value #MAX_PATTERN} characters, only the first {@value #MAX_BODY_CHARS} characters of the
 * body are searched, and a search that reads more than {@value #MAX_STEPS} characters (backtracking) is a miss.
 */
public record ErrorRule(String name, int status, Optional<String> bodyContains, Optional<Pattern> bodyRegex,
                        Optional<String> model, Action action, Duration cooldown) {
    public enum Action { COOLDOWN, FAILOVER, RELAY, DISABLE }

    public static final int MAX_PATTERN = 256;
    public static final int MAX_BODY_CHARS = 16 * 1024;
    static final long MAX_STEPS = 2_000_000;

    public ErrorRule {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status (100-599)");
        }
        bodyContains = bodyContains == null ? Optional.empty() : bodyContains.filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT));
        bodyRegex = bodyRegex == null ? Optional.empty() : bodyRegex;
        model = model == null ? Optional.empty() : model.filter(s -> !s.isBlank());
        if (bodyContains.isPresent() && bodyRegex.isPresent()) {
            throw new IllegalArgumentException("use body_contains or body_regex, not both");
        }
        if (action == null) {
            throw new IllegalArgumentException("action is required (cooldown, failover, relay or disable)");
        }
        cooldown = cooldown == null ? Duration.ZERO : cooldown;
        if (action == Action.COOLDOWN && (cooldown.isZero() || cooldown.isNegative())) {
            throw new IllegalArgumentException("action cooldown needs a positive \"for\" (e.g. \"5m\")");
        }
        name = name == null || name.isBlank() ? describe(status, bodyContains, bodyRegex, action) : name;
    }

    /** Compiles an operator's pattern within the bounds above. */
    public static Pattern boundedPattern(String regex) {
        if (regex.length() > MAX_PATTERN) {
            throw new IllegalArgumentException("body_regex is longer than " + MAX_PATTERN + " characters");
        }
        try {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("body_regex does not compile: " + e.getDescription());
        }
    }

    public static Action action(String text) {
        try {
            return Action.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("action must be cooldown, failover, relay or disable");
        }
    }

    /** Whether this rule applies to an answer with {@code status} at all (before reading its body). */
    public boolean appliesTo(int answerStatus, String requestModel) {
        if (answerStatus != status) {
            return false;
        }
        return model.isEmpty() || Globs.matches(model.get(), requestModel == null ? "" : requestModel);
    }

    /** Whether the rule fires for this answer. */
    public boolean matches(int answerStatus, String body, String requestModel) {
        if (!appliesTo(answerStatus, requestModel)) {
            return false;
        }
        String text = body == null ? "" : body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body;
        if (bodyContains.isPresent()) {
            return text.toLowerCase(Locale.ROOT).contains(bodyContains.get());
        }
        if (bodyRegex.isPresent()) {
            Matcher m = bodyRegex.get().matcher(new BudgetedText(text, new long[] {MAX_STEPS}));
            try {
                return m.find();
            } catch (StepsExceeded e) {
                return false;
            }
        }
        return true;
    }

    /** The first rule that fires, if any. */
    public static Optional<ErrorRule> first(List<ErrorRule> rules, int status, String body, String model) {
        for (ErrorRule rule : rules) {
            if (rule.matches(status, body, model)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    private static String describe(int status, Optional<String> contains, Optional<Pattern> regex, Action action) {
        return status + contains.map(c -> " containing \"" + c + "\"").orElse("")
                + regex.map(r -> " matching /" + r.pattern() + "/").orElse("") + " -> "
                + action.name().toLowerCase(Locale.ROOT);
    }

    private static final class StepsExceeded extends RuntimeException {
        StepsExceeded() {
            super(null, null, false, false);
        }
    }

    /** Text whose reads are counted: a catastrophic backtrack runs out of budget instead of running forever. */
    private record BudgetedText(String text, long[] budget) implements CharSequence {
        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new StepsExceeded();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedText(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
