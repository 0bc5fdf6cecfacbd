package io.proxygate.bootstrap;

import io.proxygate.domain.credential.Secret;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Dropwizard's admin tasks ({@code /tasks/log-level}, {@code /tasks/gc}, ...) change the running server: turning a
 * logger up can make it print what it sees. They take the admin token ({@code X-Admin-Token} or
 * {@code Authorization: Bearer}); a header is also what a cross-site form cannot send.
 */
final class AdminTasksGuard implements Filter {
    private final Optional<Secret> adminToken;

    AdminTasksGuard(Optional<Secret> adminToken) {
        this.adminToken = adminToken;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String presented = request.getHeader("X-Admin-Token");
        if (presented == null || presented.isBlank()) {
            String authorization = request.getHeader("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                presented = authorization.substring(7).trim();
            }
        }
        if (adminToken.isPresent() && presented != null && !presented.isBlank()
                && adminToken.get().matches(presented.trim())) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        byte[] body = "{\"error\":\"admin tasks need the admin token (X-Admin-Token)\"}\n"
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(401);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
