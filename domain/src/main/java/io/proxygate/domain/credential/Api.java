package io.proxygate.domain.credential;

/** The upstream API families a credential can serve. */
public enum Api {
    /** OpenAI Responses API, including {@code /responses/compact}. */
    RESPONSES,
    /** Anthropic Messages API, including {@code /messages/count_tokens}. */
    MESSAGES,
    /** OpenAI Chat Completions. */
    CHAT_COMPLETIONS
}
