package io.proxygate.adapter.out.persistence.pool;

import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;

/** The three folders of the pool directory and which credential kind each one holds. */
enum PoolFolder {
    CHATGPT("chatgpt"),
    CLAUDE("claude"),
    APIKEYS("apikeys");

    private final String dirName;

    PoolFolder(String dirName) {
        this.dirName = dirName;
    }

    String dirName() {
        return dirName;
    }

    static PoolFolder of(Credential credential) {
        return switch (credential) {
            case ChatGptAccount a -> CHATGPT;
            case ClaudeAccount a -> CLAUDE;
            case ApiKey k -> APIKEYS;
        };
    }
}
