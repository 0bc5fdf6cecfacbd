package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.application.auth.BrowserLogin;
import io.proxygate.application.auth.LoginFailed;
import io.proxygate.application.auth.LoginResult;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.auth.ManualLogin;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Adding accounts from the dashboard: the browser flow (a loopback callback listener finishes the login in the
 * background) and the pasted-URL flow (start returns the authorize URL, finish takes the redirect URL or code).
 * User mistakes answer 400, provider or local failures 502, both as {@code {"error"}}.
 */
@Path("/admin/ui")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminLoginFlowResource {
    private static final Logger LOG = LoggerFactory.getLogger(AdminLoginFlowResource.class);
    private static final int MAX_BODY = 8 * 1024;

    private final LoginService logins;
    /** One browser login per provider: a new start cancels the one before (its listener holds a port). */
    private final Map<OAuthProvider, BrowserLogin> browserLogins = new EnumMap<>(OAuthProvider.class);

    public AdminLoginFlowResource(LoginService logins) {
        this.logins = Objects.requireNonNull(logins, "logins");
    }

    @POST
    @Path("oauth-start")
    public Response chatGptBrowserStart() {
        return browserStart(OAuthProvider.CHATGPT);
    }

    @POST
    @Path("claude-oauth-start")
    public Response claudeBrowserStart() {
        return browserStart(OAuthProvider.CLAUDE);
    }

    @POST
    @Path("oauth-manual-start")
    public Response chatGptManualStart() {
        return manualStart(logins::startChatGptManualLogin);
    }

    @POST
    @Path("claude-oauth-manual-start")
    public Response claudeManualStart() {
        return manualStart(logins::startClaudeManualLogin);
    }

    @POST
    @Path("oauth-manual-finish")
    public Response chatGptManualFinish(InputStream body) {
        String codeOrUrl = codeOrUrl(body);
        return respond(() -> {
            ChatGptAccount a = (ChatGptAccount) logins.finishChatGptManualLogin(codeOrUrl).account();
            return Json.object().put("email", a.email()).put("account_id", a.accountId())
                    .put("plan_type", a.plan().wireName());
        });
    }

    @POST
    @Path("claude-oauth-manual-finish")
    public Response claudeManualFinish(InputStream body) {
        String codeOrUrl = codeOrUrl(body);
        return respond(() -> {
            ClaudeAccount a = (ClaudeAccount) logins.finishClaudeManualLogin(codeOrUrl, Optional.empty()).account();
            return Json.object().put("email", a.email()).put("account_id", a.accountId())
                    .put("subscription_type", a.subscriptionType());
        });
    }

    /** A login step that may fail the way {@link LoginService} does. */
    @FunctionalInterface
    private interface LoginStep<T> {
        T run() throws LoginFailed;
    }

    private static Response manualStart(LoginStep<ManualLogin> start) {
        return respond(() -> Json.object().put("authorize_url", start.run().authorizeUrl().toString()));
    }

    /** 200 with the step's JSON, or its failure as {@link #failed}. */
    private static Response respond(LoginStep<Json> step) {
        try {
            return ok(step.run());
        } catch (LoginFailed e) {
            return failed(e);
        }
    }

    private Response browserStart(OAuthProvider provider) {
        BrowserLogin login;
        try {
            synchronized (browserLogins) {
                BrowserLogin previous = browserLogins.remove(provider);
                if (previous != null) {
                    previous.cancel();
                }
                login = provider == OAuthProvider.CHATGPT ? logins.startChatGptBrowserLogin()
                        : logins.startClaudeBrowserLogin(Optional.empty());
                browserLogins.put(provider, login);
            }
        } catch (LoginFailed e) {
            return failed(e);
        }
        login.result().whenComplete((LoginResult result, Throwable error) -> {
            synchronized (browserLogins) {
                browserLogins.remove(provider, login);
            }
            if (result != null) {
                LOG.info("{} login from the dashboard saved {}", provider.displayName(), result.account().label());
            } else {
                LOG.info("{} login from the dashboard ended: {}", provider.displayName(),
                        error == null ? "?" : rootMessage(error));
            }
        });
        return ok(Json.object().put("auth_url", login.authorizeUrl().toString())
                .put("callback_port", login.callbackPort()));
    }

    private static String codeOrUrl(InputStream body) {
        JsonNode json = Bodies.object(body, MAX_BODY);
        return Bodies.text(json, "code_or_url").orElse("");
    }

    private static Response ok(Json json) {
        return Response.ok(json.build(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response failed(LoginFailed e) {
        return AdminErrors.response(e.isUserError() ? 400 : 502, e.getMessage());
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c != c.getCause()) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
