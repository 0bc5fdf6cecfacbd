package io.proxygate.application.proxy;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.TokenKeeper;
import io.proxygate.application.http.BodyBytes;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.port.out.TranslationPlan;
import io.proxygate.application.port.out.ForwardingUpstreamCall;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import io.proxygate.application.port.out.UpstreamHead;
import io.proxygate.application.port.out.UpstreamPort;
import io.proxygate.application.port.out.UpstreamRequest;
import io.proxygate.application.routing.CapacityQueue;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.routing.Lease;
import io.proxygate.application.routing.RouteQuery;
import io.proxygate.application.routing.RoutingPlan;
import io.proxygate.application.routing.RoutingService;
import io.proxygate.application.usage.CostEstimator;
import io.proxygate.application.usage.RequestRecord;
import io.proxygate.domain.credential.Api;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;
import io.proxygate.domain.credential.CredentialKind;
import io.proxygate.domain.routing.ErrorRule;
import io.proxygate.domain.routing.ModelFamily;
import io.proxygate.domain.usage.StreamFailure;
import io.proxygate.domain.usage.UsageConvention;
import io.proxygate.domain.usage.UsageReport;
import io.proxygate.domain.translate.Translation;
import io.proxygate.domain.translate.TranslationPolicy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The request lifecycle, in order: plan candidates, make the token fresh, open the upstream, and on a 401, 429,
 * 5xx or connection failure <em>before any byte reached the client</em> mark the credential and try the next one.
 * The chosen reply is then relayed chunk by chunk, and exactly one request-log row is written at the end.
 *
 * <p>The bookkeeping is read-your-writes: router state (pins, token load, in-flight count), budgets and the
 * request-log row are updated in memory before the client's reply completes, so whoever has the whole reply finds
 * it counted; the row's insert happens later, off the reply's path. A stream is counted as soon as its final usage
 * event has been read, before that event goes out to the client.
 *
 * <p>Failures are blamed on the right party. Side calls (the ChatGPT backend passthrough and the model list) relay
 * whatever the upstream said and never change a credential's state: clients make them in the background, and one
 * failing must not take accounts away from real traffic. A 403 from the provider's edge (a challenge page, a
 * block) pauses the credential briefly and is relayed; only the API's own JSON 403 means the account needs a login.
 * When every credential failed for its own reasons, the client hears that the pool is exhausted, in its API's error
 * shape, and the last upstream error goes to the request log only.
 */
public final class ProxyService implements ProxyUseCase {
    private static final System.Logger LOG = System.getLogger(ProxyService.class.getName());
    /** A body carrying account-encrypted reasoning holds this field; only its account can read it. */
    private static final byte[] ENCRYPTED_CONTENT_MARK = "\"encrypted_content\"".getBytes(StandardCharsets.US_ASCII);
    /** The request log's error class (and the failure type) of a request whose client left. */
    public static final String CLIENT_DISCONNECTED = "client_disconnected";
    /** The request log's error class of a request that shutdown ended before its upstream did. */
    public static final String CUT_BY_SHUTDOWN = "cut_by_shutdown";
    /** The request log's error class of a stream ended by {@code max_stream_duration}. */
    public static final String STREAM_TOO_LONG = "max_stream_duration";
    /** Error class of a success stream that announced a failure in an event (relayed as it came). */
    public static final String UPSTREAM_STREAM_FAILED = "upstream_stream_failed";

    private final CredentialPool pool;
    private final CredentialRouter router;
    private final UpstreamPort upstream;
    private final TokenKeeper tokens;
    private final RequestLogPort requestLog;
    private final CostEstimator costs;
    private final ProxySettings settings;
    private final InstantSource clock;
    private final Pause pause;
    private final Supplier<String> requestIds;
    private final FallbackRoute fallback;
    private volatile RequestObserver observer = RequestObserver.NONE;
    /** Requests between their start and their request-log row: what shutdown must end and wait for. */
    private final Set<Cuttable> inProgress = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;
    private volatile Duration keepAliveInterval = Duration.ZERO;
    private volatile SpendLimit spendLimit = SpendLimit.NONE;

    /** Something shutdown can end early; it still writes its row. */
    private interface Cuttable {
        void cut();
    }

    public ProxyService(CredentialPool pool, CredentialRouter router, UpstreamPort upstream, TokenKeeper tokens,
                        RequestLogPort requestLog, CostEstimator costs, ProxySettings settings, InstantSource clock,
                        Pause pause, Supplier<String> requestIds) {
        this(pool, router, upstream, tokens, requestLog, costs, settings, clock, pause, requestIds,
                FallbackRoute.NONE);
    }

    public ProxyService(CredentialPool pool, CredentialRouter router, UpstreamPort upstream, TokenKeeper tokens,
                        RequestLogPort requestLog, CostEstimator costs, ProxySettings settings, InstantSource clock,
                        Pause pause, Supplier<String> requestIds, FallbackRoute fallback) {
        this.fallback = fallback;
        this.pool = pool;
        this.router = router;
        this.upstream = upstream;
        this.tokens = tokens;
        this.requestLog = requestLog;
        this.costs = costs;
        this.settings = settings;
        this.clock = clock;
        this.pause = pause;
        this.requestIds = requestIds;
    }

    /** Takes credentials that spent their daily budget out of rotation; {@link SpendLimit#NONE} by default. */
    public void limitSpend(SpendLimit limit) {
        this.spendLimit = java.util.Objects.requireNonNull(limit, "limit");
    }

    /**
     * While an event stream's upstream is quiet this long, the client gets an SSE comment, so a client that left is
     * noticed; zero (the default) = off.
     */
    public void keepAliveEvery(Duration interval) {
        this.keepAliveInterval = interval == null || interval.isNegative() ? Duration.ZERO : interval;
    }

    /**
     * Shutdown: refuses new requests, ends every request still in progress (a stream gets its API's error event, an
     * attempt its error) and waits up to {@code wait} for their request-log rows, so they are written before the log
     * closes. Returns how many requests were still unfinished when the wait ended.
     */
    public int cutInProgress(Duration wait) {
        shuttingDown = true;
        for (Cuttable c : inProgress) {
            c.cut();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (!inProgress.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        int left = inProgress.size();
        if (left > 0) {
            LOG.log(System.Logger.Level.WARNING, "shutdown: {0} requests did not finish their rows in time", left);
        }
        return left;
    }

    /** Requests started and not yet recorded. */
    public int inProgress() {
        return inProgress.size();
    }

    /**
     * Lets a request wait up to {@code timeout} in line when every credential that could serve it is at its
     * {@code max_concurrent} cap, instead of failing at once; zero turns waiting off.
     */
    public void queueWhenBusy(Duration timeout) {
        this.queueTimeout = timeout == null || timeout.isNegative() ? Duration.ZERO : timeout;
    }

    private volatile Duration queueTimeout = Duration.ZERO;
    private volatile List<ErrorRule> errorRules = List.of();

    private volatile TranslationPolicy translationPolicy = TranslationPolicy.OFF;

    /** The operator's {@code [translate]} table: when a request may be served by the other API family. */
    public void translate(TranslationPolicy policy) {
        this.translationPolicy = java.util.Objects.requireNonNull(policy, "policy");
    }

    /** The operator's {@code [[routing.error_rules]]}, checked in order before the built-in outcomes. */
    public void errorRules(List<ErrorRule> rules) {
        this.errorRules = List.copyOf(rules);
    }

    /** Who hears of request starts and attempts (the admin live feed); {@link RequestObserver#NONE} by default. */
    public void observe(RequestObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    @Override
    public ProxyExchange open(ProxyCommand command) {
        return open(command, () -> { });
    }

    /** How often {@code whileWaiting} runs while a request waits in line. */
    static final Duration WAITING_TICK = Duration.ofSeconds(2);

    @Override
    public ProxyExchange open(ProxyCommand command, Runnable whileWaiting) {
        Attempts attempts = new Attempts(command, requestIds.get(), clock.instant());
        attempts.whileWaiting = whileWaiting;
        observer.started(attempts.requestId, attempts.startedAt, command.route().path(), command.facts().model());
        inProgress.add(attempts);
        try {
            if (shuttingDown) {
                throw new ProxyFailure(503, "overloaded_error", "ProxyGate is shutting down");
            }
            ProxyExchange exchange = attempts.run();
            if (exchange instanceof Relay relay) {
                inProgress.add(relay);
            }
            inProgress.remove(attempts);
            return exchange;
        } catch (ProxyFailure failure) {
            // A client that left interrupted this thread; its row must still be written, so the flag waits.
            boolean interrupted = Thread.interrupted();
            try {
                attempts.recordFailure(failure);
            } finally {
                inProgress.remove(attempts);
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw failure;
        } catch (RuntimeException unexpected) {
            // A fault of ours: the request still gets its row, so it does not vanish from the log.
            try {
                attempts.recordFailure(new ProxyFailure(500, "api_error", "internal error: "
                        + unexpected.getClass().getSimpleName()));
            } catch (RuntimeException notRecorded) {
                unexpected.addSuppressed(notRecorded);
            } finally {
                inProgress.remove(attempts);
            }
            throw unexpected;
        } catch (Error unexpected) {
            inProgress.remove(attempts);
            throw unexpected;
        } finally {
            attempts.leaveQueue();
        }
    }

    @Override
    public void refused(ProxyCommand command, ProxyFailure refusal) {
        Instant now = clock.instant();
        RequestRecord record = new RequestRecord(requestIds.get(), now, command.route().path(), "none",
                Optional.empty(), command.facts().model(), command.facts().serviceTier(),
                refusal.status(), null, Optional.empty(), Duration.ZERO, Optional.empty(),
                Optional.of(REFUSED_BY_CLIENT_KEY), Optional.ofNullable(refusal.getMessage()), Optional.empty(), false,
                "refused by the client key's rules before routing", command.clientKey(), Optional.empty());
        written(record);
    }

    /** The error class of a request its client key's rules refused. */
    public static final String REFUSED_BY_CLIENT_KEY = "client_key_refused";

    /** The state of one request's failover loop. */
    private final class Attempts implements Cuttable {
        private final ProxyCommand command;
        private final String requestId;
        private final Instant startedAt;
        private RouteQuery query;
        /** Set once the request goes to the other API family; then every attempt is translated. */
        private Translation translation;
        /** The route whose upstream serves the attempts: the client's own, or the other family's when translated. */
        private Route upstreamRoute;
        private final Set<CredentialId> triedOnce = new HashSet<>();
        private final StringBuilder note = new StringBuilder();
        private Optional<Credential> lastCredential = Optional.empty();
        private ProxyFailure lastError;
        /** The last upstream failure in words (credential, status, message), for the request log. */
        private String lastUpstream;
        /** Whether every failed attempt so far was a 429: then an exhausted pool answers 429, not 503. */
        private boolean onlyRateLimited = true;
        /** The last plan left only credentials at their {@code max_concurrent} cap, with no line to wait in. */
        private boolean allBusy;
        /** The last 429's cooldown: a Retry-After even when that cooldown has already run out. */
        private Optional<Duration> lastCooldown = Optional.empty();
        /** When the client must have its answer by; null: no overall deadline. */
        private final Instant deadline;
        /** When the latest attempt started: a relayed reply's time to first byte is measured from here. */
        private Instant lastAttemptStarted;
        /** The upstream call being waited on, so shutdown can end the wait. */
        private volatile UpstreamCall current;
        private volatile boolean cut;

        @Override
        public void cut() {
            cut = true;
            UpstreamCall c = current;
            if (c != null) {
                c.close();
            }
        }
        /** This request's place in line while every capable credential is busy; null when not waiting. */
        private CapacityQueue.Ticket ticket;
        private Runnable whileWaiting = () -> { };
        /** The last attempt found its credential at its cap when taking the slot; it did not count. */
        private boolean lostSlot;
        private long queueDeadline;

        Attempts(ProxyCommand command, String requestId, Instant startedAt) {
            this.command = command;
            this.requestId = requestId;
            this.startedAt = startedAt;
            RequestFacts facts = command.facts();
            this.query = new RouteQuery(command.route().api(), facts.model(), facts.conversation(),
                    facts.previousResponseId(), BodyBytes.contains(command.body(), ENCRYPTED_CONTENT_MARK));
            this.deadline = settings.attemptDeadline().isZero() ? null : startedAt.plus(settings.attemptDeadline());
            this.upstreamRoute = command.route();
        }

        /** The API family the attempts go to. */
        Api upstreamApi() {
            return upstreamRoute.api();
        }

        /** The model asked of the upstream: the served model of a translation, else the client's. */
        String upstreamModel() {
            return translation == null ? command.facts().model() : translation.servedModel();
        }

        Optional<String> translationNote() {
            return Optional.ofNullable(translation).map(Translation::describe);
        }

        /** Routes whose requests have a counterpart in the other family; compaction and side calls have none. */
        private boolean translatable() {
            return switch (command.route()) {
                case RESPONSES, MESSAGES, MESSAGES_COUNT_TOKENS, CHAT_COMPLETIONS -> true;
                default -> false;
            };
        }

        /** What the translation policy decides for this request with the requested family in {@code state}. */
        private Optional<Translation> translationFor(TranslationPolicy.FamilyState state) {
            if (translation != null || !translatable()) {
                return Optional.empty();
            }
            TranslationPolicy policy = translationPolicy;
            Api api = command.route().api();
            String model = command.facts().model();
            Optional<TranslationPolicy.ModelMapping> mapping = policy.mappingFor(api, model);
            if (!policy.enabled() || mapping.isEmpty()) {
                return Optional.empty();
            }
            Api target = mapping.get().servedBy();
            boolean otherServes = pool.snapshot().anyCredential(c -> c.serves(target) && !c.disabled());
            return policy.decide(api, model, state, otherServes);
        }

        /**
         * Serves the request from the other API family when the policy says so: from then on every attempt asks the
         * other family's credentials for the mapped model, and the adapter translates both ways.
         */
        private Optional<ProxyExchange> viaTranslation(TranslationPolicy.FamilyState state) {
            Optional<Translation> decided = translationFor(state);
            if (decided.isEmpty()) {
                return Optional.empty();
            }
            translation = decided.get();
            upstreamRoute = translation.to() == Api.MESSAGES ? Route.MESSAGES : Route.RESPONSES;
            note.append(note.isEmpty() ? "" : "; ").append(translation.describe());
            query = new RouteQuery(translation.to(), translation.servedModel(), command.facts().conversation(),
                    Optional.empty(), false);
            triedOnce.clear();
            onlyRateLimited = true;
            allBusy = false;
            lastCooldown = Optional.empty();
            lastError = null;
            return tryCandidates(translation.to());
        }

        /** Time left before the overall deadline; null when there is none. */
        private Duration remaining() {
            return deadline == null ? null : Duration.between(clock.instant(), deadline);
        }

        /**
         * Stops the attempts when the client has gone (the inbound adapter interrupts this thread when it notices)
         * or the overall deadline has passed. Neither is the credential's fault, so neither marks it.
         */
        private void checkStillWanted() {
            checkClientStillThere();
            Duration left = remaining();
            if (left != null && (left.isNegative() || left.isZero())) {
                if (lastAttemptStarted == null) {
                    // No upstream was asked: the time went in waiting for a cooldown, so the truth is that every
                    // credential rests, not that an upstream kept silent.
                    throw exhausted(upstreamApi());
                }
                throw new ProxyFailure(504, "api_error", "no upstream answered within "
                        + settings.attemptDeadline().toSeconds() + " s", router.nearestCooldown(command.route().api()));
            }
        }

        /** Stops the attempts when the server is stopping or the client has gone; neither is a credential's fault. */
        private void checkClientStillThere() {
            if (cut) {
                throw new ProxyFailure(503, "overloaded_error", "ProxyGate is shutting down");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new ProxyFailure(499, CLIENT_DISCONNECTED, "client disconnected before the first byte");
            }
        }

        ProxyExchange run() {
            Api api = command.route().api();
            if (passthrough() && !pool.snapshot().anyCredential(this::usable)) {
                throw new ProxyFailure(503, "overloaded_error", "no accounts available");
            }
            if (!pool.snapshot().anyCredential(c -> c.serves(api))) {
                return viaFallback().or(() -> viaTranslation(TranslationPolicy.FamilyState.NONE_ROUTABLE))
                        .orElseThrow(() -> translation != null ? exhausted(api)
                                : new ProxyFailure(401, "authentication_error", Messages.nothingConfigured(api)));
            }
            if (!pool.snapshot().anyCredential(c -> c.serves(api) && !c.disabled())) {
                Optional<ProxyExchange> translated = viaTranslation(TranslationPolicy.FamilyState.NONE_ROUTABLE);
                if (translated.isPresent()) {
                    return translated.get();
                }
                if (translation != null) {
                    throw exhausted(api);
                }
            }
            CapacityQueue queue = router.capacityQueue();
            if (!queueTimeout.isZero() && queue.hasWaiters() && !sideCall()) {
                // Others are already waiting for a free slot: take a place behind them rather than overtake.
                joinQueue(queue);
                if (!queue.awaitTurn(ticket, -1, queueDeadline, whileWaiting, WAITING_TICK.toNanos())) {
                    ticket = null;
                    checkStillWanted(); // a client that left while in line is a 499, not a busy pool
                    throw busy(api);
                }
            }
            Optional<ProxyExchange> served = tryCandidates(api);
            if (served.isPresent()) {
                return served.get();
            }
            Optional<ProxyExchange> rescued = viaFallback();
            if (rescued.isPresent()) {
                return rescued.get();
            }
            Optional<ProxyExchange> translated = viaTranslation(TranslationPolicy.FamilyState.EXHAUSTED);
            if (translated.isPresent()) {
                return translated.get();
            }
            if (sideCall() && lastError != null) {
                throw lastError;
            }
            throw exhausted(api);
        }

        /** The failover loop over {@code api}'s credentials; empty when every one failed or none was left. */
        private Optional<ProxyExchange> tryCandidates(Api api) {
            boolean waitedForCooldown = false;
            int attempts = 0;
            CapacityQueue queue = router.capacityQueue();
            // One plan per request: its candidates are tried in order. Only after waiting out a cooldown, or a
            // wait in line for a free slot, is the router asked again.
            RoutingPlan plan = null;
            long generation = queue.generation();
            while (attempts < settings.maxAttempts()) {
                checkStillWanted();
                if (plan == null) {
                    generation = queue.generation();
                    plan = router.plan(query);
                }
                Optional<RoutingPlan.Candidate> next = plan.candidates().stream()
                        .filter(c -> usable(c.credential()))
                        .filter(c -> !triedOnce.contains(c.credential().id()))
                        .filter(this::withinBudget).findFirst();
                if (next.isEmpty() && !queueTimeout.isZero() && !sideCall() && busy(plan)) {
                    joinQueue(queue);
                    if (queue.awaitTurn(ticket, generation, queueDeadline, whileWaiting, WAITING_TICK.toNanos())) {
                        // A slot was released: the busy credentials may be free now, so plan again.
                        plan = null;
                        continue;
                    }
                    ticket = null;
                    checkStillWanted();
                    throw busy(api);
                }
                if (next.isEmpty() && translation == null
                        && translationFor(TranslationPolicy.FamilyState.EXHAUSTED).isPresent()) {
                    // The other family can serve now: better than waiting for this one's cooldown.
                    break;
                }
                if (next.isEmpty() && queueTimeout.isZero() && !sideCall() && busy(plan) && lastError == null
                        && router.nearestCooldown(api).isEmpty()) {
                    // Nothing failed, and every capable credential left is at its max_concurrent cap with none
                    // waiting out a cooldown: with no line to wait in, the answer (unless a fallback serves) is a
                    // 429 to retry in a moment. An attempt that failed keeps its own answer.
                    allBusy = true;
                    break;
                }
                if (next.isEmpty()) {
                    Optional<Duration> cooling = router.nearestCooldown(api);
                    Duration left = remaining();
                    // A cooldown is waited for only when the attempt after it keeps at least as much time as the wait
                    // takes: otherwise the wait ends in a 504 that blames the clock, or an attempt cut short, when
                    // the truth (every credential cooling) is known now.
                    if (!waitedForCooldown && cooling.isPresent() && !cooling.get().isZero()
                            && (left == null || cooling.get().multipliedBy(2).compareTo(left) < 0)) {
                        waitedForCooldown = true;
                        sleep(min(cooling.get(), settings.maxCooldownWait()));
                        triedOnce.clear();
                        plan = null;
                        continue;
                    }
                    break;
                }
                attempts++;
                RoutingPlan.Candidate candidate = next.get();
                triedOnce.add(candidate.credential().id());
                note(candidate, plan);
                Optional<ProxyExchange> exchange = attempt(candidate.credential(), plan.pinned()
                        && plan.candidates().get(0) == candidate);
                if (exchange.isPresent()) {
                    return exchange;
                }
                if (lostSlot) {
                    // Its cap filled since the plan: plan again, which sees it busy (and may queue for it).
                    lostSlot = false;
                    attempts--;
                    triedOnce.remove(candidate.credential().id());
                    plan = null;
                }
            }
            return Optional.empty();
        }

        private void joinQueue(CapacityQueue queue) {
            if (ticket == null) {
                ticket = queue.join();
                queueDeadline = System.nanoTime() + queueTimeout.toNanos();
            }
        }

        void leaveQueue() {
            if (ticket != null) {
                router.capacityQueue().leave(ticket);
                ticket = null;
            }
        }

        /** Whether the plan left out a credential only because it is at its {@code max_concurrent} cap. */
        private boolean busy(RoutingPlan plan) {
            return plan.skipped().stream().anyMatch(s -> s.reason().startsWith(RoutingService.BUSY));
        }

        /** The wait in line ran out: a rate limit in the API's shape, to be retried shortly. */
        private ProxyFailure busy(Api api) {
            note.append(note.isEmpty() ? "" : "; ").append("every capable credential busy");
            if (!queueTimeout.isZero()) {
                note.append(" for ").append(queueTimeout.toMillis()).append(" ms");
            }
            return new ProxyFailure(429, "rate_limit_error", Messages.exhausted(api), Optional.of(Duration.ofSeconds(1)),
                    Optional.empty());
        }

        /**
         * Every credential that could serve failed for credential-side reasons (or none could be tried): 429 with
         * Retry-After when every attempt met a rate limit, else 503 (with Retry-After while something cools down);
         * either way with the fixed texts of {@link Messages}. A backoff after 5xx is not a rate limit, so it never
         * makes a 429.
         */
        private ProxyFailure exhausted(Api api) {
            if (allBusy) {
                return busy(api);
            }
            Optional<Duration> cooling = router.nearestCooldown(api).filter(d -> !d.isZero()).or(() -> lastCooldown);
            Optional<String> detail = Optional.ofNullable(lastUpstream);
            if (passthrough()) {
                return new ProxyFailure(503, "overloaded_error", "no accounts available", cooling, detail);
            }
            if (onlyRateLimited && (lastCooldown.isPresent() || router.restingOnRateLimits(api))) {
                // Met a rate limit now, or found every credential still resting on one: either way the upstreams'
                // limits refused the request, which the client should hear as a 429 with when to come back.
                return new ProxyFailure(429, "rate_limit_error", Messages.exhausted(api), cooling, detail);
            }
            Optional<Duration> modelCooling = router.nearestModelCooldown(query.model());
            if (onlyRateLimited && modelCooling.isPresent()) {
                // Only this model is limited on the credentials that could serve it: a rate limit, as a 429 was.
                return new ProxyFailure(429, "rate_limit_error", Messages.exhausted(api), modelCooling, detail);
            }
            return new ProxyFailure(503, "overloaded_error", Messages.exhausted(api), cooling, detail);
        }

        /** A credential over its daily budget is passed over, and the routing note says so once. */
        private boolean withinBudget(RoutingPlan.Candidate candidate) {
            Optional<String> blocked = spendLimit.blocks(candidate.credential());
            blocked.ifPresent(reason -> {
                if (triedOnce.add(candidate.credential().id())) {
                    note.append(note.isEmpty() ? "" : "; ").append("skip ").append(candidate.credential().id())
                            .append(": ").append(reason);
                }
            });
            return blocked.isEmpty();
        }

        private boolean passthrough() {
            return command.route() == Route.PASSTHROUGH;
        }

        /** Calls a client makes on the side (backend passthrough, model list): they never change credential state. */
        private boolean sideCall() {
            return passthrough() || command.route() == Route.MODELS;
        }

        private void failed(Credential credential, String what) {
            lastUpstream = credential.id() + ": " + what;
        }

        /** ChatGPT backend paths can only be served by ChatGPT accounts; every API route by what serves its API. */
        private boolean usable(Credential credential) {
            return passthrough() ? credential.kind() == CredentialKind.CHATGPT_ACCOUNT
                    : credential.serves(upstreamApi());
        }

        /** The pool could not serve: offer the request to the fallback route (Vertex AI for Messages). */
        private Optional<ProxyExchange> viaFallback() {
            Optional<FallbackRoute.FallbackReply> reply = fallback.serve(command);
            reply.ifPresent(r -> note.append(note.isEmpty() ? "" : "; ").append("fallback ").append(r.provider())
                    .append(" model=").append(r.model()));
            // Logged under the provider's name as a key id ("vertex-ai"): usage reports list it as a key. Not pooled.
            return reply.map(r -> new Relay(this, Optional.of(new CredentialId(r.provider())), false, r.provider(),
                    Optional.of(r.model()), () -> { }, r.call(), r.head()));
        }

        /**
         * One credential: fresh token, upstream call, and the one allowed refresh-and-retry on a 401. What the answer
         * means is {@link OutcomeClassifier}'s to say; this loop only carries out the two consequences.
         */
        private Optional<ProxyExchange> attempt(Credential chosen, boolean pinned) {
            Credential credential;
            try {
                credential = tokens.ensureFresh(chosen);
            } catch (CredentialUnavailable e) {
                onlyRateLimited = false;
                failed(chosen, "token refresh failed: " + e.getMessage());
                if (sideCall()) {
                    lastError = new ProxyFailure(503, "overloaded_error", "no accounts available");
                } else {
                    markUnavailable(chosen, e);
                }
                return Optional.empty();
            }
            lastCredential = Optional.of(credential);
            boolean refreshed = false;
            while (true) {
                observer.attempting(requestId, credential.id());
                Optional<Lease> slot = router.tryBegin(credential.id());
                if (slot.isEmpty()) {
                    // Another request took the last slot since the plan: not a failure of this credential.
                    lostSlot = true;
                    return Optional.empty();
                }
                Lease lease = slot.get();
                // Only now, with the slot taken, may the next request in line look for one.
                leaveQueue();
                Instant attemptStarted = clock.instant();
                lastAttemptStarted = attemptStarted;
                OutcomeClassifier.Attempt facts = new OutcomeClassifier.Attempt(sideCall(),
                        credential.kind().isAccount(), refreshed, pinned && !movable(),
                        credential.kind() == CredentialKind.CHATGPT_ACCOUNT);
                UpstreamCall call = null;
                boolean handedOver = false;
                try {
                    call = upstream.open(new UpstreamRequest(upstreamRoute, credential, command.query(),
                            command.headers(), command.body(), command.facts().stream(), command.method(),
                            command.path(), translation == null ? command.encodedBody() : Optional.empty(),
                            Optional.ofNullable(translation).map(t -> new TranslationPlan(command.route(), t))));
                    current = call;
                    if (cut) {
                        call.close();
                    }
                    Duration left = remaining();
                    UpstreamHead head = left == null ? call.awaitHead() : call.awaitHead(left);
                    CredentialId id = credential.id();
                    head.windows().ifPresent(w -> router.onWindows(id, w));
                    FirstBytes body = new FirstBytes(call, settings.maxErrorBodyBytes());
                    UpstreamOutcome outcome = OutcomeClassifier.classify(facts, head.status(),
                            head.upstreamHeaders(), body::text, clock.instant());
                    if (outcome instanceof UpstreamOutcome.RefreshAndRetry) {
                        try {
                            credential = tokens.refreshAfterUnauthorized(credential);
                            refreshed = true;
                            continue;
                        } catch (CredentialUnavailable e) {
                            if (sideCall()) {
                                // The upstream's own 401 is the truthful answer; the refresh failure is logged.
                                handedOver = true;
                                return Optional.of(relay(credential, lease, call, head));
                            }
                            markUnavailable(credential, e);
                            lastError = upstreamError(credential, head.status(), body.text());
                            return Optional.empty();
                        }
                    }
                    int status = head.status();
                    List<ErrorRule> rules = errorRules;
                    if (!sideCall() && !rules.isEmpty() && status >= 400
                            && rules.stream().anyMatch(r -> r.appliesTo(status, query.model()))) {
                        // The operator's rules come before the built-in outcome; the body is read once for both.
                        Optional<ErrorRule> fired = ErrorRule.first(rules, status, body.text(), query.model());
                        if (fired.isPresent()) {
                            Optional<ProxyExchange> ruled = applyRule(fired.get(), credential, status, body.text());
                            if (ruled == null) {
                                handedOver = true;
                                return Optional.of(relay(credential, lease, body.replayed(), head));
                            }
                            return ruled;
                        }
                    }
                    Optional<String> family = outcome instanceof UpstreamOutcome.RateLimited
                            ? ModelFamily.limitedBy429(head.upstreamHeaders()::first, body.text(), query.model())
                            : Optional.empty();
                    if (family.isPresent()) {
                        // Only this model family is limited: the account keeps serving the others.
                        router.onModelRateLimited(credential.id(), family.get(),
                                ((UpstreamOutcome.RateLimited) outcome).cooldown());
                    } else {
                        report(credential, outcome, attemptStarted);
                    }
                    if (outcome.client() == UpstreamOutcome.Client.RELAY) {
                        handedOver = true;
                        return Optional.of(relay(credential, lease, body.replayed(), withRetryAfter(head, outcome)));
                    }
                    lastError = switch (outcome) {
                        case UpstreamOutcome.RateLimited limited -> {
                            lastCooldown = Optional.of(limited.cooldown());
                            failed(credential, "HTTP 429 " + limited.message());
                            yield new ProxyFailure(429, "rate_limit_error", limited.message(),
                                    Optional.of(limited.cooldown()));
                        }
                        default -> upstreamError(credential, head.status(), body.text());
                    };
                    if (outcome.client() == UpstreamOutcome.Client.ANSWER) {
                        throw lastError;
                    }
                    return Optional.empty();
                } catch (UpstreamException e) {
                    if (e.kind() == UpstreamException.Kind.TIMEOUT) {
                        checkStillWanted(); // silence up to the deadline: the client hears 504
                    } else {
                        checkClientStillThere(); // refused or reset: an answer of sorts, failed over or 502/503
                    }
                    UpstreamOutcome outcome = OutcomeClassifier.unreachable(facts, e);
                    report(credential, outcome, attemptStarted);
                    if (outcome.client() == UpstreamOutcome.Client.ANSWER) {
                        throw new ProxyFailure(502, "api_error", "upstream request failed", Optional.empty(),
                                Optional.of(credential.id() + ": unreachable: " + e.getMessage()));
                    }
                    onlyRateLimited = false;
                    failed(credential, "unreachable (" + e.kind() + "): " + e.getMessage());
                    lastError = new ProxyFailure(502, "api_error", "upstream unreachable: " + e.kind());
                    return Optional.empty();
                } finally {
                    if (!handedOver) {
                        if (call != null) {
                            call.close();
                        }
                        lease.close();
                    }
                }
            }
        }

        /** A relayed 429 tells the client when to come back, as the upstream said it in headers or in its text. */
        private static UpstreamHead withRetryAfter(UpstreamHead head, UpstreamOutcome outcome) {
            if (!(outcome instanceof UpstreamOutcome.RateLimited limited)
                    || head.clientHeaders().first("retry-after").isPresent()) {
                return head;
            }
            long seconds = Math.max(1, (limited.cooldown().toMillis() + 999) / 1000);
            return new UpstreamHead(head.status(), head.upstreamHeaders(),
                    head.clientHeaders().with("Retry-After", Long.toString(seconds)), head.eventStream(),
                    head.windows());
        }

        /**
         * Does what an operator's error rule says; null means relay the answer to the client as it is. The rule's
         * name goes into the request log's routing note and, for a cooldown, into the credential's cooldown reason.
         */
        private Optional<ProxyExchange> applyRule(ErrorRule rule, Credential credential, int status, String body) {
            note.append(note.isEmpty() ? "" : "; ").append("error rule \"").append(rule.name()).append("\" fired on ")
                    .append(credential.id()).append(": ").append(rule.action().name().toLowerCase(java.util.Locale.ROOT));
            switch (rule.action()) {
                case RELAY -> {
                    return null;
                }
                case COOLDOWN -> router.coolDown(credential.id(), rule.cooldown(), "error rule \"" + rule.name() + "\"");
                case DISABLE -> pool.snapshot().entry(credential.id()).ifPresent(entry -> {
                    try {
                        pool.setDisabled(entry, true);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "error rule could not disable " + credential.id() + ": " + e);
                    }
                });
                case FAILOVER -> {
                }
            }
            lastError = upstreamError(credential, status, body);
            return Optional.empty();
        }

        /** Tells the router the outcome's consequence for the credential, once. */
        private void report(Credential credential, UpstreamOutcome outcome, Instant attemptStarted) {
            if (outcome.credential() instanceof UpstreamOutcome.Consequence.Answered) {
                router.onAnswered(credential.id());
            } else {
                outcome.failure().ifPresent(f -> router.onFailure(credential.id(), f, attemptStarted));
            }
        }

        /** A pinned conversation may move after a 429 only when nothing in the request is bound to the account. */
        private boolean movable() {
            return settings.movePinnedOnRateLimit() && !query.boundToAccount();
        }

        private void markUnavailable(Credential credential, CredentialUnavailable e) {
            checkStillWanted();
            report(credential, OutcomeClassifier.refreshFailed(e.permanent(), e.getMessage()), clock.instant());
            lastError = new ProxyFailure(503, "overloaded_error", Messages.exhausted(command.route().api()));
        }

        private Relay relay(Credential credential, Lease lease, UpstreamCall call, UpstreamHead head) {
            return new Relay(this, Optional.of(credential.id()), true, credential.kind().provider(), Optional.empty(),
                    lease, call, head);
        }

        private ProxyFailure upstreamError(Credential credential, int status, String body) {
            String type = status == 401 ? "authentication_error" : status == 403 ? "permission_error" : "api_error";
            String message = errorMessage(body, "upstream answered " + status);
            onlyRateLimited = false;
            failed(credential, "HTTP " + status + " " + message);
            return new ProxyFailure(status >= 500 ? 502 : status, type, message);
        }

        /** The score as the explanation prints it, without {@code String.format}'s parsing on every request. */
        private static String threeDecimals(double score) {
            if (!Double.isFinite(score)) {
                return String.valueOf(score);
            }
            return java.math.BigDecimal.valueOf(score).setScale(3, java.math.RoundingMode.HALF_UP).toPlainString();
        }

        private void note(RoutingPlan.Candidate candidate, RoutingPlan plan) {
            if (!note.isEmpty()) {
                note.append("; ");
            }
            note.append("picked ").append(candidate.credential().id()).append(" score=")
                    .append(threeDecimals(candidate.score()));
            if (plan.pinned()) {
                note.append(" (pinned)");
            }
            router.health(candidate.credential().id()).ifPresent(h -> note.append(" [").append(h).append(']'));
            if (plan.moved() != null) {
                note.append(" moved from ").append(plan.moved());
            }
            if (note.length() < 600) {
                plan.skipped().stream().limit(5).forEach(s -> note.append(" skip ").append(s.id()).append(": ")
                        .append(s.reason()));
            }
        }

        void recordFailure(ProxyFailure failure) {
            Instant now = clock.instant();
            RequestRecord record = new RequestRecord(requestId, startedAt, command.route().path(),
                    lastCredential.map(c -> c.kind().provider()).orElse("none"),
                    lastCredential.map(Credential::id), upstreamModel(), command.facts().serviceTier(),
                    failure.status(), null, Optional.empty(), Duration.between(startedAt, now), Optional.empty(),
                    Optional.of(cut ? CUT_BY_SHUTDOWN : failure.errorType()), Optional.of(failure.detail()
                            .map(d -> failure.getMessage() + " (last upstream error: " + d + ")")
                            .orElseGet(() -> String.valueOf(failure.getMessage()))), Optional.empty(),
                    false, note.toString(), command.clientKey(), translationNote());
            written(record);
        }
    }

    /** A row of a request that ends without a relay: logged, charged, announced and printed, like every row. */
    private void written(RequestRecord record) {
        requestLog.append(record);
        spendLimit.spent(record);
        observer.finished(record);
        log(record);
    }

    /** A chosen upstream reply, relayed once. */
    private final class Relay implements ProxyExchange, Cuttable {
        private final Attempts attempts;
        private final Optional<CredentialId> credential;
        /** False for the fallback route: the router knows nothing of it. */
        private final boolean pooled;
        private final String provider;
        private final Optional<String> upstreamModel;
        private final Lease lease;
        private final UpstreamCall call;
        private final UpstreamHead head;
        private final Instant attemptStarted;
        private final AtomicBoolean closed = new AtomicBoolean();
        /** The request's row, once counted; a reply is counted once. */
        private RequestRecord counted;
        private volatile boolean cut;
        private volatile boolean relaying;

        @Override
        public void cut() {
            cut = true;
            call.close();
        }

        Relay(Attempts attempts, Optional<CredentialId> credential, boolean pooled, String provider,
              Optional<String> upstreamModel, Lease lease, UpstreamCall call, UpstreamHead head) {
            this.attempts = attempts;
            this.credential = credential;
            this.pooled = pooled;
            this.provider = provider;
            this.upstreamModel = upstreamModel;
            this.lease = lease;
            this.call = call;
            this.head = head;
            this.attemptStarted = attempts.lastAttemptStarted == null ? attempts.startedAt : attempts.lastAttemptStarted;
        }

        /** Whether what this reply shows about its credential's speed and health counts (API calls to the pool). */
        private boolean measured() {
            return pooled && credential.isPresent() && !attempts.sideCall();
        }

        @Override
        public int status() {
            return head.status();
        }

        @Override
        public Headers headers() {
            return head.clientHeaders();
        }

        @Override
        public boolean eventStream() {
            return head.eventStream();
        }

        @Override
        public void relayTo(ResponseSink sink) throws IOException {
            Optional<Duration> ttfb = Optional.empty();
            Optional<String> errorClass = Optional.empty();
            Optional<String> errorText = Optional.empty();
            relaying = true;
            Duration keepAlive = head.eventStream() ? keepAliveInterval : Duration.ZERO;
            boolean keepAliveOn = !keepAlive.isZero();
            boolean betweenEvents = true;
            Instant limit = settings.maxStreamDuration().isZero() ? null
                    : attempts.startedAt.plus(settings.maxStreamDuration());
            try {
                while (true) {
                    Optional<ByteBuffer> chunk;
                    try {
                        Duration wait = keepAlive.isZero() ? null : keepAlive;
                        if (limit != null) {
                            Duration left = Duration.between(clock.instant(), limit);
                            wait = wait == null || left.compareTo(wait) < 0 ? left : wait;
                        }
                        chunk = wait == null ? call.nextChunk() : call.nextChunk(wait);
                    } catch (UpstreamException e) {
                        if (cut) {
                            errorClass = Optional.of(CUT_BY_SHUTDOWN);
                            errorText = Optional.of("ProxyGate shut down before the upstream finished");
                            if (head.eventStream()) {
                                sink.streamError("api_error", "ProxyGate is shutting down; the stream was cut");
                            }
                            break;
                        }
                        errorClass = Optional.of("upstream_" + e.kind().name().toLowerCase(java.util.Locale.ROOT));
                        errorText = Optional.ofNullable(e.getMessage());
                        if (measured()) {
                            router.onStreamFailed(credential.get());
                        }
                        count(ttfb, errorClass, errorText);
                        if (head.eventStream()) {
                            sink.streamError("api_error", "upstream stream failed: " + e.kind());
                        }
                        break;
                    }
                    if (limit != null && !clock.instant().isBefore(limit)) {
                        errorClass = Optional.of(STREAM_TOO_LONG);
                        errorText = Optional.of("stream ran past " + settings.maxStreamDuration().toSeconds() + " s");
                        if (head.eventStream()) {
                            sink.streamError("api_error", "the stream ran past ProxyGate's limit of "
                                    + settings.maxStreamDuration().toSeconds() + " s");
                        }
                        break;
                    }
                    if (chunk == null) {
                        if (betweenEvents) {
                            // Quiet upstream: a failed write here means the client left. Only between events,
                            // so the comment never lands inside one.
                            sink.keepAlive();
                        }
                        continue;
                    }
                    if (chunk.isEmpty()) {
                        // Counted and released before the reply completes: the client's next read sees it.
                        count(ttfb, errorClass, errorText);
                        close();
                        sink.end();
                        break;
                    }
                    if (ttfb.isEmpty()) {
                        Instant first = clock.instant();
                        ttfb = Optional.of(Duration.between(attempts.startedAt, first));
                        if (measured()) {
                            router.onFirstByte(credential.get(), Duration.between(attemptStarted, first));
                        }
                    }
                    if (keepAliveOn) {
                        betweenEvents = endsAnEvent(chunk.get());
                    }
                    if (finalUsageIn()) {
                        // This chunk carries the stream's final usage event: count before the client can see it.
                        count(ttfb, errorClass, errorText);
                        sink.counted();
                    }
                    sink.write(chunk.get());
                }
            } catch (IOException clientGone) {
                errorClass = Optional.of("client_disconnected");
                errorText = Optional.ofNullable(clientGone.getMessage());
                throw clientGone;
            } finally {
                count(ttfb, errorClass, errorText);
                close();
                announce();
            }
        }

        /**
         * Whether the stream's usage is final: the terminal events of Responses and Messages carry the final counts.
         * Chat streams may repeat usage on every chunk, so they are counted at their end.
         */
        private boolean finalUsageIn() {
            return counted == null && head.eventStream() && head.isSuccess()
                    && attempts.upstreamApi() != Api.CHAT_COMPLETIONS && call.usage().complete();
        }

        /** The in-memory bookkeeping: router, budgets, and the request-log row (whose insert is queued). */
        private void count(Optional<Duration> ttfb, Optional<String> errorClass, Optional<String> errorText) {
            if (counted != null) {
                return;
            }
            UsageReport usage = call.usage();
            Optional<StreamFailure> failed = head.isSuccess() && errorClass.isEmpty() ? usage.failure()
                    : Optional.empty();
            if (failed.isPresent()) {
                // Relayed unchanged (the client already has the head), but not a success: logged, and charged to
                // the credential as the same failure would have been as a status.
                errorClass = Optional.of(UPSTREAM_STREAM_FAILED);
                errorText = Optional.of(failed.get().describe());
                if (measured()) {
                    onStreamFailure(credential.get(), failed.get());
                }
            }
            boolean success = head.isSuccess() && errorClass.isEmpty();
            if (pooled) {
                credential.ifPresent(id -> {
                    if (success && !attempts.sideCall()) {
                        router.onSuccess(id, attempts.query, usage.responseId());
                    }
                    router.onUsage(id, usage.tokens());
                });
            }
            String model = upstreamModel.or(usage::model).orElse(attempts.upstreamModel());
            Optional<String> tier = usage.serviceTier().or(() -> attempts.command.facts().serviceTier());
            Instant now = clock.instant();
            RequestRecord record = new RequestRecord(attempts.requestId, attempts.startedAt,
                    attempts.command.route().path(), provider, credential,
                    model, tier, head.status(), usage.tokens(), costs.estimate(model, tier, usage.tokens(),
                            UsageConvention.forApi(attempts.upstreamApi())),
                    Duration.between(attempts.startedAt, now), ttfb, errorClass, errorText, usage.responseId(),
                    head.isSuccess() && head.eventStream() && !usage.complete(), attempts.note.toString(),
                    attempts.command.clientKey(), attempts.translationNote());
            requestLog.append(record);
            inProgress.remove(this);
            spendLimit.spent(record);
            counted = record;
        }

        /**
         * A failure event inside a success stream, charged as the classifier names it. A rate limit also counts
         * towards the credential's error rate (a backoff already does); a refused request is the client's own.
         */
        private void onStreamFailure(CredentialId id, StreamFailure f) {
            UpstreamOutcome outcome = OutcomeClassifier.streamFailed(f, clock.instant());
            outcome.failure().ifPresent(failure -> router.onFailure(id, failure, attemptStarted));
            if (outcome instanceof UpstreamOutcome.RateLimited) {
                router.onStreamFailed(id);
            }
        }

        /** What may trail the reply: the live feed and the log line. */
        private void announce() {
            observer.finished(counted);
            log(counted);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                call.close();
                lease.close();
            }
            if (!relaying) {
                inProgress.remove(this); // never relayed, so no row will come
            }
        }
    }

    /** Whether {@code chunk} ends with the blank line that closes an SSE event (LF or CRLF line ends). */
    static boolean endsAnEvent(ByteBuffer chunk) {
        int end = chunk.limit();
        int start = chunk.position();
        if (end - start >= 2 && chunk.get(end - 1) == '\n' && chunk.get(end - 2) == '\n') {
            return true;
        }
        return end - start >= 4 && chunk.get(end - 1) == '\n' && chunk.get(end - 2) == '\r'
                && chunk.get(end - 3) == '\n' && chunk.get(end - 4) == '\r';
    }

    private void log(RequestRecord r) {
        // Concatenation, not String.format: this line is written for every request.
        LOG.log(System.Logger.Level.INFO, () -> "request id=" + r.requestId() + " route=" + r.route()
                + " credential=" + r.credential().map(CredentialId::value).orElse("-") + " status=" + r.status()
                + " in=" + r.tokens().inputTokens() + " out=" + r.tokens().outputTokens()
                + " ms=" + r.latency().toMillis() + r.errorClass().map(e -> " error=" + e).orElse("")
                + r.translation().map(t -> " (" + t + ")").orElse(""));
    }

    /** The first bytes of an answer's body, read (bounded) only when the classifier asks for them. */
    private static final class FirstBytes {
        private final UpstreamCall call;
        private final int max;
        private byte[] raw;

        FirstBytes(UpstreamCall call, int max) {
            this.call = call;
            this.max = max;
        }

        String text() {
            if (raw == null) {
                raw = ErrorBodies.readBoundedBytes(call, max);
            }
            return new String(raw, StandardCharsets.UTF_8);
        }

        /** The call to relay: as it is when nothing was read, else with the bytes read put back in front. */
        UpstreamCall replayed() {
            return raw == null ? call : new Replayed(call, raw);
        }
    }

    /** An upstream call whose first bytes were already read (to classify it), replayed ahead of the rest. */
    private static final class Replayed extends ForwardingUpstreamCall {
        private ByteBuffer prefix;

        Replayed(UpstreamCall call, byte[] prefix) {
            super(call);
            this.prefix = prefix.length == 0 ? null : ByteBuffer.wrap(prefix);
        }

        @Override
        public Optional<ByteBuffer> nextChunk() throws UpstreamException {
            return prefix != null ? Optional.of(takePrefix()) : call.nextChunk();
        }

        @Override
        public Optional<ByteBuffer> nextChunk(Duration wait) throws UpstreamException {
            return prefix != null ? Optional.of(takePrefix()) : call.nextChunk(wait);
        }

        private ByteBuffer takePrefix() {
            ByteBuffer first = prefix;
            prefix = null;
            return first;
        }
    }

    /** The upstream's own error message when its body has one, else the whole body, else a fallback. */
    static String errorMessage(String body, String fallback) {
        if (body == null || body.isBlank()) {
            return fallback;
        }
        // A linear scan, not a regex: the body is the upstream's, of any shape and length.
        Optional<String> message = io.proxygate.domain.routing.ErrorText.message(body);
        if (message.isPresent()) {
            return message.get();
        }
        String trimmed = body.strip();
        return trimmed.length() > 300 ? trimmed.substring(0, 300) : trimmed;
    }

    private void sleep(Duration d) {
        try {
            pause.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyFailure(499, CLIENT_DISCONNECTED, "client disconnected while waiting for a cooldown");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
