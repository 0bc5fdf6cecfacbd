package io.proxygate.application.auth;

import java.util.List;

/** The public OAuth client registrations ProxyGate logs in as (those of the Codex CLI and Claude Code). */
public final class OAuthClients {
    private OAuthClients() {
    }

    public static final String CHATGPT_CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
    public static final String CHATGPT_SCOPE = "openid profile email offline_access";
    public static final int CHATGPT_FIRST_PORT = 1455;
    public static final int CHATGPT_LAST_PORT = 1460;
    public static final String CHATGPT_CALLBACK_PATH = "/auth/callback";

    public static final String CLAUDE_CLIENT_ID = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
    public static final String CLAUDE_SCOPE =
            "org:create_api_key user:profile user:inference user:sessions:claude_code user:file_upload";
    public static final int CLAUDE_FIRST_PORT = 1461;
    public static final int CLAUDE_LAST_PORT = 1466;
    public static final String CLAUDE_CALLBACK_PATH = "/callback";

    /** Loopback redirect URI as the providers expect it ({@code localhost}, although we bind 127.0.0.1). */
    public static String loopbackRedirect(int port, String path) {
        return "http://localhost:" + port + path;
    }

    static final List<String> CHATGPT_AUTHORIZE_EXTRAS = List.of(
            "id_token_add_organizations=true", "codex_cli_simplified_flow=true", "originator=codex_cli_rs",
            "prompt=login", "max_age=0");
}
