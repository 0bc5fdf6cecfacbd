package io.proxygate.adapter.out.upstream.vertex;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;

import java.io.IOException;
import java.util.Objects;

/**
 * Tokens from Google's own auth library (service account JWT exchange, authorized-user refresh, or whatever
 * Application Default Credentials found). The library caches the token and renews it minutes before it expires.
 */
public final class LibraryTokenSource implements GoogleTokenSource {
    private final GoogleCredentials credentials;
    private final String method;

    public LibraryTokenSource(GoogleCredentials credentials, String method) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.method = Objects.requireNonNull(method, "method");
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String accessToken() throws IOException {
        credentials.refreshIfExpired();
        AccessToken token = credentials.getAccessToken();
        if (token == null || token.getTokenValue() == null || token.getTokenValue().isBlank()) {
            throw new IOException("Google returned no access token");
        }
        return token.getTokenValue();
    }

    @Override
    public String toString() {
        return "LibraryTokenSource[" + method + "]";
    }
}
