package io.proxygate.application.fallback;

import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.VariantHintsPort;
import io.proxygate.application.port.out.VertexPort;
import io.proxygate.application.port.out.VertexRequest;
import io.proxygate.application.proxy.ErrorBodies;
import io.proxygate.application.proxy.FallbackRoute;
import io.proxygate.application.proxy.Pause;
import io.proxygate.application.proxy.ProxyCommand;
import io.proxygate.application.proxy.ProxyFailure;
import io.proxygate.application.http.Route;
import io.proxygate.domain.fallback.ClaudeVariants;
import io.proxygate.domain.fallback.FallbackMatch;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.UnsupportedVariantException;
import io.proxygate.domain.fallback.VariantChange;
import io.proxygate.domain.routing.RetryAfter;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The last resort for Messages requests that no pooled Claude account or Anthropic key could serve: Claude on
 * Google Vertex AI, used only when the policy is on, Vertex is actually usable, and a rule maps the requested model.
 * Retries Vertex's own 429s, 5xx and connection failures (see {@link ClaudeFallbackSettings}); any other reply,
 * success or client error, is handed back to be relayed.
 */
public final class ClaudeFallbackService implements FallbackRoute {
    private static final System.Logger LOG = System.getLogger(ClaudeFallbackService.class.getName());
    /** Provider label in the request log. */
    public static final String PROVIDER = "vertex-ai";
    static final String NO_MATCH = "All Claude accounts exhausted and no Vertex AI fallback matched or succeeded.";
    static final String VARIANT_HEADER = "x-proxygate-variant";

    private final Supplier<FallbackPolicy> policy;
    private final VertexPort vertex;
    private final VariantHintsPort hints;
    private final ClaudeFallbackSettings settings;
    private final InstantSource clock;
    private final Pause pause;

    public ClaudeFallbackService(Supplier<FallbackPolicy> policy, VertexPort vertex, VariantHintsPort hints,
                                 ClaudeFallbackSettings settings, InstantSource clock, Pause pause) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.vertex = Objects.requireNonNull(vertex, "vertex");
        this.hints = Objects.requireNonNull(hints, "hints");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    @Override
    public Optional<FallbackReply> serve(ProxyCommand command) {
        FallbackPolicy current = policy.get();
        if (command.route() != Route.MESSAGES || !current.enabled() || !vertex.usable()) {
            return Optional.empty();
        }
        String variant = ClaudeVariants.detect(command.headers().first(VARIANT_HEADER), hints.read(command.body()));
        FallbackMatch match = current.match(command.facts().model(), variant)
                .orElseThrow(() -> new ProxyFailure(503, "overloaded_error", NO_MATCH));
        VariantChange change;
        try {
            change = match.change();
        } catch (UnsupportedVariantException e) {
            throw new ProxyFailure(400, "invalid_request_error", "invalid claude fallback variant: " + e.getMessage());
        }
        VertexRequest request = new VertexRequest(match.toModel(), change, command.body(), command.headers(),
                command.facts().stream());
        return Optional.of(call(match, request));
    }

    private FallbackReply call(FallbackMatch match, VertexRequest request) {
        int serverErrors = 0;
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= settings.maxAttempts();
            UpstreamCall call = vertex.open(request);
            UpstreamHead head;
            try {
                head = call.awaitHead();
            } catch (UpstreamException e) {
                call.close();
                LOG.log(System.Logger.Level.WARNING, "vertex anthropic forward error ({0} -> {1}, attempt {2}): {3}",
                        match.fromModel(), match.toModel(), attempt, e.getMessage());
                if (last) {
                    throw new ProxyFailure(502, "api_error", "vertex anthropic forward error");
                }
                sleep(settings.backoff(serverErrors++));
                continue;
            }
            int status = head.status();
            if (status == 429) {
                String body = readAndClose(call);
                Duration wait = RetryAfter.parse(head.upstreamHeaders()::first, body, clock.instant());
                if (last) {
                    throw new ProxyFailure(429, "rate_limit_error", "vertex anthropic rate limited",
                            Optional.of(wait));
                }
                sleep(min(wait, settings.maxRateLimitWait()));
                continue;
            }
            if (status >= 500 && status < 600) {
                call.close();
                LOG.log(System.Logger.Level.WARNING, "vertex anthropic answered {0} ({1}, attempt {2})", status,
                        match.toModel(), attempt);
                if (last) {
                    throw new ProxyFailure(502, "api_error", "vertex anthropic upstream unavailable");
                }
                sleep(settings.backoff(serverErrors++));
                continue;
            }
            return new FallbackReply(PROVIDER, match.toModel(), call, head);
        }
    }

    /** The 429 body (bounded) for its Retry-After hint; the headers alone decide the wait if it cannot be read. */
    private String readAndClose(UpstreamCall call) {
        try (call) {
            return ErrorBodies.readBounded(call, settings.maxErrorBodyBytes());
        }
    }

    private void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            pause.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyFailure(503, "overloaded_error", "interrupted while waiting to retry Vertex AI");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
