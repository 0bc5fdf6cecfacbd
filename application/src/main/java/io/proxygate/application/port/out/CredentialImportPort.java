package io.proxygate.application.port.out;

import io.proxygate.domain.credential.ClaudeAccount;

/** Reads credentials exported by other tools from the bytes an admin uploaded. */
public interface CredentialImportPort {
    /** Why an upload cannot be imported; the message is one user-facing line without secrets. */
    final class ImportRejected extends Exception {
        public ImportRejected(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A Claude account from Claude Code's {@code .credentials.json} ({@code {"claudeAiOauth": {...}}}), a flat
     * {@code {email, access_token, ...}} object or ProxyGate's own account file.
     *
     * @throws ImportRejected with {@code invalid JSON}, {@code missing email field},
     *                        {@code missing access_token field} or another reason
     */
    ClaudeAccount claudeAccount(byte[] json) throws ImportRejected;
}
