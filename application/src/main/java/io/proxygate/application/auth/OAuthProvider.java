package io.proxygate.application.auth;

/** The two OAuth subscription providers whose accounts ProxyGate can log in. */
public enum OAuthProvider {
    CHATGPT("ChatGPT"),
    CLAUDE("Claude");

    private final String displayName;

    OAuthProvider(String displayName) {
        this.displayName = displayName;
    }

    /** How messages name the provider ("ChatGPT", "Claude"). */
    public String displayName() {
        return displayName;
    }
}
