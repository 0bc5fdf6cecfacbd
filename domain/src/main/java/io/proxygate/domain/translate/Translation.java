package io.proxygate.domain.translate;

import io.proxygate.domain.credential.Api;

import java.util.Objects;

/**
 * A decision to serve a request from the other API family: the client speaks {@code from} about
 * {@code requestedModel}; the upstream is asked, in {@code to}, for {@code servedModel}.
 *
 * @param because why, in words ("no messages credential can serve")
 */
public record Translation(Api from, Api to, String requestedModel, String servedModel, String because) {
    public Translation {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(requestedModel, "requestedModel");
        Objects.requireNonNull(servedModel, "servedModel");
        because = because == null ? "" : because;
        if (from == to) {
            throw new IllegalArgumentException("a translation needs two different API families");
        }
    }

    /** "translated messages → responses, claude-sonnet-4-5 → gpt-5-codex, because …": the request log's words. */
    public String describe() {
        return "translated " + wireName(from) + " → " + wireName(to) + ", " + requestedModel + " → " + servedModel
                + (because.isEmpty() ? "" : ", because " + because);
    }

    /** The short name of an API family, as in the request log and the admin API. */
    public static String wireName(Api api) {
        return switch (api) {
            case RESPONSES -> "responses";
            case MESSAGES -> "messages";
            case CHAT_COMPLETIONS -> "chat";
        };
    }
}
