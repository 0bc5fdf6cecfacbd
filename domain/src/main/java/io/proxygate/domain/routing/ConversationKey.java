package io.proxygate.domain.routing;

/** Identifies a conversation whose requests should stay on one credential (prompt caches live per account). */
public record ConversationKey(String value) {
    public ConversationKey {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("conversation key must not be blank");
        }
    }

    public static ConversationKey session(String sessionId) {
        return new ConversationKey("session:" + sessionId);
    }

    public static ConversationKey promptCache(String key) {
        return new ConversationKey("cache:" + key);
    }

    public static ConversationKey response(String responseId) {
        return new ConversationKey("resp:" + responseId);
    }

    public static ConversationKey user(String user) {
        return new ConversationKey("user:" + user);
    }
}
