package io.proxygate.application.proxy;

import io.proxygate.domain.credential.Api;

/** User-facing error texts, fixed word for word: clients' scripts match them (docs/go-compatibility.md). */
final class Messages {
    private Messages() {
    }

    static String nothingConfigured(Api api) {
        return switch (api) {
            case RESPONSES -> "No accounts configured.";
            case MESSAGES -> "No Claude accounts or Anthropic API keys configured.";
            case CHAT_COMPLETIONS -> "No OpenAI API keys configured.";
        };
    }

    static String exhausted(Api api) {
        return switch (api) {
            case RESPONSES -> "All accounts and API keys exhausted. Try again later.";
            case MESSAGES -> "All Claude accounts and Anthropic API keys exhausted.";
            case CHAT_COMPLETIONS -> "All OpenAI API keys exhausted.";
        };
    }
}
