package io.proxygate.application.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the user pasted to finish a manual login: the full redirect URL (code and state from its query) or the bare
 * code. Claude's own copy page shows {@code code#state}; that form is split too.
 */
public record AuthorizationInput(String code, Optional<String> state) {
    static final int MIN_CODE_LENGTH = 10;

    public AuthorizationInput {
        Objects.requireNonNull(code, "code");
        state = state == null ? Optional.empty() : state.filter(s -> !s.isEmpty());
    }

    @Override
    public String toString() {
        return "AuthorizationInput[state=" + state.orElse("") + "]";
    }

    /**
     * Parses pasted text.
     *
     * @throws LoginFailed (BAD_INPUT) "URL has no query string", "no code in URL",
     *                     "input too short to be an authorization code"; (DENIED) "oauth error: X"
     */
    public static AuthorizationInput parse(String pasted) throws LoginFailed {
        String input = pasted == null ? "" : pasted.strip();
        String lower = input.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return parseUrl(input);
        }
        String code = input;
        Optional<String> state = Optional.empty();
        int hash = input.indexOf('#');
        if (hash >= 0) {
            code = input.substring(0, hash);
            state = Optional.of(input.substring(hash + 1));
        }
        if (code.length() < MIN_CODE_LENGTH) {
            throw new LoginFailed(LoginFailed.Reason.BAD_INPUT, "input too short to be an authorization code");
        }
        return new AuthorizationInput(code, state);
    }

    private static AuthorizationInput parseUrl(String url) throws LoginFailed {
        int question = url.indexOf('?');
        if (question < 0) {
            throw new LoginFailed(LoginFailed.Reason.BAD_INPUT, "URL has no query string");
        }
        String query = url.substring(question + 1);
        int fragment = query.indexOf('#');
        if (fragment >= 0) {
            query = query.substring(0, fragment);
        }
        String code = "";
        String state = "";
        String error = "";
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (key) {
                case "code" -> code = value;
                case "state" -> state = value;
                case "error" -> error = value;
                default -> {
                }
            }
        }
        if (!error.isEmpty()) {
            throw new LoginFailed(LoginFailed.Reason.DENIED, "oauth error: " + error);
        }
        if (code.isEmpty()) {
            throw new LoginFailed(LoginFailed.Reason.BAD_INPUT, "no code in URL");
        }
        return new AuthorizationInput(code, Optional.of(state));
    }

    private static String decode(String text) throws LoginFailed {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new LoginFailed(LoginFailed.Reason.BAD_INPUT, "URL has a malformed %-escape");
        }
    }
}
