package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.application.auth.BrowserLogin;
import io.proxygate.application.auth.LoginFailed;
import io.proxygate.application.auth.LoginResult;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

    /**
     * The route prefix of each provider's login routes ({@code /admin/ui/<prefix>oauth-start}, ...): ChatGPT's came
     * first and have none. {@link #PROVIDER_PATTERN} must accept exactly these prefixes.
     */
    static final Map<String, OAuthProvider> ROUTE_PREFIXES = Map.of(
            "", OAuthProvider.CHATGPT,
            "claude-", OAuthProvider.CLAUDE);
    static final String PROVIDER_PATTERN = "(?:claude-)?";
    private static final String PROVIDER = "{provider: " + PROVIDER_PATTERN + "}";

    private final LoginService logins;
    /** One browser login per provider: a new start cancels the one before (its listener holds a port). */
    private final Map<OAuthProvider, BrowserLogin> browserLogins = new EnumMap<>(OAuthProvider.class);

    public AdminLoginFlowResource(LoginService logins) {
        this.logins = Objects.requireNonNull(logins, "logins");
    }

    @POST
    @Path(PROVIDER + "oauth-start")
    public Response browserStart(@PathParam("provider") String prefix) {
        return browserStart(provider(prefix));
    }

    @POST
    @Path(PROVIDER + "oauth-manual-start")
    public Response manualStart(@PathParam("provider") String prefix) {
        OAuthProvider provider = provider(prefix);
        return respond(() -> Json.object().put("authorize_url",
                logins.startManualLogin(provider).authorizeUrl().toString()));
    }

    @POST
    @Path(PROVIDER + "oauth-manual-finish")
    public Response manualFinish(@PathParam("provider") String prefix, InputStream body) {
        OAuthProvider provider = provider(prefix);
        String codeOrUrl = codeOrUrl(body);
        return respond(() -> accountJson(logins.finishManualLogin(provider, codeOrUrl).account()));
    }

    private static OAuthProvider provider(String prefix) {
        OAuthProvider provider = ROUTE_PREFIXES.get(prefix == null ? "" : prefix);
        if (provider == null) {
            throw new NotFoundException();
        }
        return provider;
    }

    /** What the dashboard shows of a freshly saved account. */
    private static Json accountJson(Credential account) {
        return switch (account) {
            case ChatGptAccount a -> Json.object().put("email", a.email()).put("account_id", a.accountId())
                    .put("plan_type", a.plan().wireName());
            case ClaudeAccount a -> Json.object().put("email", a.email()).put("account_id", a.accountId())
                    .put("subscription_type", a.subscriptionType());
            default -> Json.object().put("label", account.label());
        };
    }

    /** A login step that may fail the way {@link LoginService} does. */
    @FunctionalInterface
    private interface LoginStep<T> {
        T run() throws LoginFailed;
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
                login = logins.startBrowserLogin(provider, Optional.empty());
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
