package io.proxygate.application.admin;

import io.proxygate.application.auth.CredentialUnavailable;
import io.proxygate.application.auth.RefreshHistory;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.application.port.out.CredentialImportPort;
import io.proxygate.application.port.out.DeletedFile;
import io.proxygate.application.port.out.UsageStatsPort;
import io.proxygate.application.routing.CredentialRouter;
import io.proxygate.application.routing.CredentialStatus;
import io.proxygate.application.usage.PollStatus;
import io.proxygate.application.usage.UsageTotals;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialId;

import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The admin side of the pool: lists credentials joined with routing state, polling state and usage; disables,
 * enables and deletes them (always through their files, which are the source of truth); adds API keys; imports
 * Claude Code credentials; refreshes OAuth tokens on demand. Used by the admin API and the CLI.
 */
public final class PoolAdminService {
    /** Forces an OAuth token refresh ({@code TokenRefreshService::refreshNow}). */
    @FunctionalInterface
    public interface Refresher {
        Credential refreshNow(Credential credential) throws CredentialUnavailable;
    }

    /** Lifetime totals cover everything in the request log. */
    private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T00:00:00Z");
    private static final System.Logger LOG = System.getLogger(PoolAdminService.class.getName());

    private final CredentialPool pool;
    private final CredentialRouter router;
    private final UsageStatsPort stats;
    private final Supplier<List<PollStatus>> polls;
    private final Refresher refresher;
    private final CredentialImportPort imports;
    private final InstantSource clock;
    private final ZoneId zone;
    private volatile Function<CredentialId, Optional<RefreshHistory>> refreshes = id -> Optional.empty();

    /**
     * @param polls     usage polling state ({@code UsagePollService::pollStatus})
     * @param refresher forced token refresh ({@code TokenRefreshService::refreshNow})
     * @param zone      the server's zone: "today" is its local day (what an operator means by today)
     */
    public PoolAdminService(CredentialPool pool, CredentialRouter router, UsageStatsPort stats,
                            Supplier<List<PollStatus>> polls, Refresher refresher, CredentialImportPort imports,
                            InstantSource clock, ZoneId zone) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.router = Objects.requireNonNull(router, "router");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.polls = Objects.requireNonNull(polls, "polls");
        this.refresher = Objects.requireNonNull(refresher, "refresher");
        this.imports = Objects.requireNonNull(imports, "imports");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Where the lists read each account's token refresh history ({@code TokenRefreshService::refreshHistory}). */
    public void reportRefreshes(Function<CredentialId, Optional<RefreshHistory>> refreshes) {
        this.refreshes = Objects.requireNonNull(refreshes, "refreshes");
    }

    /** Credential counts per section, as {@code GET /admin/status} and {@code proxy-gate status} report them. */
    public Map<PoolSection, Long> counts() {
        Map<PoolSection, Long> counts = new java.util.EnumMap<>(PoolSection.class);
        for (PoolSection s : PoolSection.values()) {
            counts.put(s, 0L);
        }
        pool.snapshot().credentials().forEach(c -> counts.merge(PoolSection.of(c), 1L, Long::sum));
        return counts;
    }

    /** Every credential of {@code section}, sorted by email or id, with its state and usage. */
    public List<CredentialView> list(PoolSection section) {
        List<PoolEntry> entries = pool.snapshot().entries().values().stream()
                .filter(e -> PoolSection.of(e.credential()) == section)
                .sorted(Comparator.comparing(e -> e.credential().label()))
                .toList();
        if (entries.isEmpty()) {
            return List.of();
        }
        Map<CredentialId, CredentialStatus> statuses = router.statuses().stream()
                .collect(Collectors.toMap(CredentialStatus::id, Function.identity(), (a, b) -> a));
        Map<CredentialId, PollStatus> pollStates = polls.get().stream()
                .collect(Collectors.toMap(PollStatus::id, Function.identity(), (a, b) -> a));
        Instant now = clock.instant();
        Map<CredentialId, UsageTotals> lifetime = byCredential(stats.totalsByCredential(Instant.EPOCH, FAR_FUTURE));
        LocalDate today = LocalDate.ofInstant(now, zone);
        Map<CredentialId, UsageTotals> todays = byCredential(stats.totalsByCredential(
                today.atStartOfDay(zone).toInstant(), today.plusDays(1).atStartOfDay(zone).toInstant()));
        return entries.stream().map(e -> {
            CredentialId id = e.credential().id();
            return new CredentialView(e, Optional.ofNullable(statuses.get(id)), Optional.ofNullable(pollStates.get(id)),
                    lifetime.getOrDefault(id, empty(id)), Optional.ofNullable(todays.get(id)),
                    e.credential().kind().isAccount() ? refreshes.apply(id) : Optional.empty());
        }).toList();
    }

    /** One credential by section and email/id. */
    public Optional<PoolEntry> find(PoolSection section, String label) {
        if (label == null || label.isBlank()) {
            return Optional.empty();
        }
        return pool.snapshot().entry(section.idFor(label));
    }

    /** Writes the disabled flag to the credential's file; the pool reloads from it. */
    public PoolEntry setDisabled(PoolSection section, String label, boolean disabled) {
        PoolEntry entry = require(section, label);
        if (entry.credential().disabled() == disabled) {
            return entry;
        }
        PoolEntry updated = pool.setDisabled(entry, disabled);
        LOG.log(System.Logger.Level.INFO, "admin: {0} {1}", disabled ? "disabled" : "enabled", entry.credential().id());
        return updated;
    }

    /** Rewrites the credential's controls in its file (proxy, max_concurrent, model rules, priority). */
    public PoolEntry editControls(PoolSection section, String label, io.proxygate.application.port.out.ControlsEdit edit) {
        PoolEntry entry = require(section, label);
        PoolEntry updated = pool.updateControls(entry, edit);
        LOG.log(System.Logger.Level.INFO, "admin: controls of {0} now: {1}", entry.credential().id(),
                updated.controls().summary());
        return updated;
    }

    /**
     * Ends the credential's cooldown and failure streak now (an operator who knows the upstream is back). Returns
     * whether there was anything to clear.
     */
    public boolean clearCooldown(PoolSection section, String label) {
        PoolEntry entry = require(section, label);
        boolean cleared = router.clearCooldown(entry.credential().id());
        LOG.log(System.Logger.Level.INFO, "admin: cleared the cooldown of {0}", entry.credential().id());
        return cleared;
    }

    /**
     * Takes the credential out of the pool by moving its file to {@code <pool_dir>/.deleted/}, from where
     * {@link #restore} brings it back; returns the name it has there.
     */
    public Optional<String> remove(PoolSection section, String label) {
        PoolEntry entry = require(section, label);
        Optional<String> deletedAs = pool.remove(entry);
        LOG.log(System.Logger.Level.INFO, "admin: removed {0} ({1}), kept as {2}", entry.credential().id(),
                entry.path(), deletedAs.orElse("nothing"));
        return deletedAs;
    }

    /** Deleted credential files, newest first. */
    public List<DeletedFile> deleted() {
        return pool.deleted();
    }

    /** A deleted file put back: where it is now, and the credential it holds (absent if it does not parse). */
    public record Restored(String name, String path, Optional<Credential> credential) {
    }

    /** Puts a deleted credential file back into the pool; never replaces a file or a credential already there. */
    public Restored restore(String name) {
        String path;
        try {
            path = pool.restore(name);
        } catch (java.util.NoSuchElementException e) {
            throw new AdminFailure(AdminFailure.Kind.NOT_FOUND, "deleted file not found");
        } catch (IllegalStateException e) {
            throw new AdminFailure(AdminFailure.Kind.CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "admin: restored {0} to {1}", name, path);
        return new Restored(name, path, pool.snapshot().entries().values().stream()
                .filter(e -> e.path().equals(path)).map(PoolEntry::credential).findFirst());
    }

    /** Writes a new key file (0600); an id already in the pool is a conflict, never overwritten. */
    public PoolEntry addApiKey(AddApiKey command) {
        ApiKey key = command.toCredential();
        if (pool.snapshot().entry(key.id()).isPresent()) {
            throw new AdminFailure(AdminFailure.Kind.CONFLICT, "key " + key.keyId() + " already exists");
        }
        String path = pool.add(key);
        LOG.log(System.Logger.Level.INFO, "admin: added key {0} ({1}, {2})", key.keyId(), key.type().wireName(),
                key.fingerprint());
        return new PoolEntry(key, path);
    }

    /** Imports a Claude account from uploaded JSON; an existing account of that email gets the new tokens. */
    public ClaudeAccount importClaude(byte[] json) {
        ClaudeAccount account;
        try {
            account = imports.claudeAccount(json);
        } catch (CredentialImportPort.ImportRejected e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, e.getMessage());
        }
        Optional<PoolEntry> existing = pool.snapshot().entry(account.id());
        if (existing.isPresent()) {
            pool.update(existing.get(), account.withDisabled(existing.get().credential().disabled()));
        } else {
            try {
                pool.add(account);
            } catch (IllegalArgumentException e) {
                throw new AdminFailure(AdminFailure.Kind.INVALID, "cannot store that email: " + e.getMessage());
            }
        }
        LOG.log(System.Logger.Level.INFO, "admin: imported Claude account {0} ({1})", account.email(),
                account.fingerprint());
        return account;
    }

    /** Refreshes an account's OAuth tokens now; returns the account with its new tokens. */
    public Credential refresh(PoolSection section, String label) {
        if (section == PoolSection.KEYS) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, "an API key cannot be refreshed");
        }
        PoolEntry entry = require(section, label);
        try {
            return refresher.refreshNow(entry.credential());
        } catch (CredentialUnavailable e) {
            throw new AdminFailure(AdminFailure.Kind.UPSTREAM, e.getMessage());
        }
    }

    /** When an account's current access token expires, if known. */
    public static Optional<Instant> expiresAt(Credential credential) {
        return switch (credential) {
            case ChatGptAccount a -> a.tokens().expiresAt();
            case ClaudeAccount a -> a.tokens().expiresAt();
            case ApiKey k -> Optional.empty();
        };
    }

    private PoolEntry require(PoolSection section, String label) {
        return find(section, label).orElseThrow(() ->
                new AdminFailure(AdminFailure.Kind.NOT_FOUND, section.notFoundMessage()));
    }

    private static Map<CredentialId, UsageTotals> byCredential(List<UsageTotals> totals) {
        return totals.stream().filter(t -> t.credential().isPresent())
                .collect(Collectors.toMap(t -> t.credential().get(), Function.identity(), (a, b) -> a));
    }

    private static UsageTotals empty(CredentialId id) {
        return new UsageTotals(Optional.of(id), Optional.empty(), Optional.empty(), 0, 0, 0, null, null);
    }
}
