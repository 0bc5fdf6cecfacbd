package io.proxygate.application.proxy;

import io.proxygate.application.routing.AttemptFailure;

import java.time.Duration;
import java.util.Optional;

/**
 * How one upstream attempt ended before its first byte reached the client, as {@link OutcomeClassifier} reads it.
 * Each outcome carries exactly one consequence for the credential ({@link #credential()}) and one for the client
 * ({@link #client()}); {@code docs/routing.md} lists them all in one table. The rule behind it: a failure is the
 * credential's only when another credential could have done better, and the client never receives a pooled
 * credential's own authentication error.
 */
public sealed interface UpstreamOutcome {
    /** What the client is told. */
    enum Client {
        /** The upstream's answer goes to the client as it came (status, headers, body). */
        RELAY,
        /** Try the next candidate (the same credential again for {@link RefreshAndRetry}). */
        FAIL_OVER,
        /** Stop trying: answer now in the API's error shape. */
        ANSWER
    }

    /** What happens to the credential. */
    sealed interface Consequence {
        /** Nothing at all: no mark, no cooldown, and a backoff streak is left as it was. */
        record None() implements Consequence {
        }

        /** The upstream answered: a backoff streak is over. */
        record Answered() implements Consequence {
        }

        /** The credential rests until now + {@code cooldown}; a shorter cooldown never shortens a longer one. */
        record Cooldown(Duration cooldown, String reason) implements Consequence {
        }

        /** One more failure episode: an exponential rest (1 s, 2 s, 4 s ... capped at 2 min). */
        record Backoff(String reason) implements Consequence {
        }

        /** Never offered again until new tokens (a refresh, a fresh login, a new key in the file). */
        record NeedsLogin(String reason) implements Consequence {
        }

        None NONE = new None();
        Answered ANSWERED = new Answered();
    }

    /** The two consequences of one outcome. */
    record Handling(Consequence credential, Client client) {
    }

    /** The table of consequences, one row per outcome. */
    private Handling handling() {
        return switch (this) {
            case Success s -> new Handling(Consequence.ANSWERED, Client.RELAY);
            case RefreshAndRetry r -> new Handling(Consequence.NONE, Client.FAIL_OVER);
            case Unauthorized u -> new Handling(new Consequence.NeedsLogin("auth_unauthorized"), Client.FAIL_OVER);
            case Forbidden f -> new Handling(new Consequence.NeedsLogin("auth_forbidden"), Client.FAIL_OVER);
            case EdgeRefused e -> new Handling(new Consequence.Cooldown(e.cooldown(), "edge 403"), Client.RELAY);
            case RateLimited r -> new Handling(new Consequence.Cooldown(r.cooldown(), "429"),
                    r.bound() ? Client.RELAY : Client.FAIL_OVER);
            case ServerError e -> new Handling(new Consequence.Backoff("HTTP " + e.status()), Client.FAIL_OVER);
            case Unreachable u -> new Handling(new Consequence.Backoff(u.detail()), Client.FAIL_OVER);
            case RefreshFailed f -> new Handling(f.permanent()
                    ? new Consequence.NeedsLogin("refresh: " + f.detail())
                    : new Consequence.Backoff("refresh: " + f.detail()), Client.FAIL_OVER);
            case ClientError c -> new Handling(Consequence.NONE, Client.RELAY);
            case SideCall c -> new Handling(Consequence.NONE, Client.RELAY);
            case SideCallUnreachable c -> new Handling(Consequence.NONE, Client.ANSWER);
        };
    }

    /** What happens to the credential. */
    default Consequence credential() {
        return handling().credential();
    }

    /** What the client is told. */
    default Client client() {
        return handling().client();
    }

    /** What the router is told about the credential: the consequence as an {@link AttemptFailure}, if it is one. */
    default Optional<AttemptFailure> failure() {
        return switch (this) {
            case EdgeRefused e -> Optional.of(new AttemptFailure.EdgeRefused(e.cooldown()));
            case RateLimited r -> Optional.of(new AttemptFailure.RateLimited(r.cooldown()));
            case ServerError e -> Optional.of(new AttemptFailure.ServerError(e.status()));
            case Unreachable u -> Optional.of(new AttemptFailure.Unreachable(u.detail()));
            case RefreshFailed f -> Optional.of(f.permanent()
                    ? new AttemptFailure.NeedsLogin("refresh: " + f.detail())
                    : new AttemptFailure.Unreachable("refresh: " + f.detail()));
            case Unauthorized u -> Optional.of(new AttemptFailure.NeedsLogin("auth_unauthorized"));
            case Forbidden f -> Optional.of(new AttemptFailure.NeedsLogin("auth_forbidden"));
            case Success s -> Optional.empty();
            case RefreshAndRetry r -> Optional.empty();
            case ClientError c -> Optional.empty();
            case SideCall c -> Optional.empty();
            case SideCallUnreachable c -> Optional.empty();
        };
    }

    /** 2xx on an API route. */
    record Success(int status) implements UpstreamOutcome {
    }

    /** 401 from an account not yet refreshed in this attempt: refresh its token and try the same account again. */
    record RefreshAndRetry() implements UpstreamOutcome {
    }

    /** 401 from a key, or from an account whose refresh did not cure it. */
    record Unauthorized(String message) implements UpstreamOutcome {
    }

    /** 403 with the API's own JSON error: the account itself is refused. */
    record Forbidden(String message) implements UpstreamOutcome {
    }

    /**
     * 403 from the provider's edge (a challenge page, a region or IP block): says nothing about the account, so it
     * rests briefly, and the client sees the refusal as it came.
     */
    record EdgeRefused(Duration cooldown) implements UpstreamOutcome {
    }

    /**
     * 429 (or a stream's {@code response.failed} with a rate-limit code, which the upstream adapter turns into one).
     * {@code bound}: the request may not leave its pinned account, so the client gets the upstream's 429 as it came
     * (its body carries what clients read, such as Codex's plan and reset times), with a Retry-After.
     */
    record RateLimited(Duration cooldown, String message, boolean bound) implements UpstreamOutcome {
    }

    /** 5xx (or a stream's {@code response.failed} with a server error). */
    record ServerError(int status, String message) implements UpstreamOutcome {
    }

    /** Connection refused or reset, a timeout, a protocol error, before any byte of the answer. */
    record Unreachable(String kind, String detail) implements UpstreamOutcome {
    }

    /** The token refresh before the call failed: permanently (needs login) or for now (backoff). */
    record RefreshFailed(boolean permanent, String detail) implements UpstreamOutcome {
    }

    /** Any other status on an API route (400, 404, 413, ...): the request's own problem, relayed as it came. */
    record ClientError(int status) implements UpstreamOutcome {
    }

    /** Any status on a side call (passthrough, model list): relayed, and never the credential's business. */
    record SideCall(int status) implements UpstreamOutcome {
    }

    /** A side call that could not reach the upstream: 502 to the client, nothing to the credential. */
    record SideCallUnreachable(String detail) implements UpstreamOutcome {
    }
}
