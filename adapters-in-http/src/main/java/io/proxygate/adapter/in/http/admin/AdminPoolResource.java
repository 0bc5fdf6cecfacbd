package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.application.admin.AddApiKey;
import io.proxygate.application.admin.CredentialView;
import io.proxygate.application.admin.PoolAdminService;
import io.proxygate.application.admin.AdminFailure;
import io.proxygate.application.admin.PoolSection;
import io.proxygate.application.pool.CredentialPool;
import io.proxygate.application.pool.PoolEntry;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin API over the pool: status, the three credential lists, enable/disable, delete and restore, add an API
 * key, import Claude credentials, refresh an account's tokens. Every change goes through the credential's file.
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminPoolResource {
    private static final int MAX_KEY_BODY = 16 * 1024;
    private static final int MAX_IMPORT_BODY = 64 * 1024;
    /** The path segment of the three credential lists: {@code accounts}, {@code claude-accounts} or {@code keys}. */
    private static final String SECTION = "{section: accounts|claude-accounts|keys}";

    private final PoolAdminService service;
    private final CredentialPool pool;
    private final AdminInfo info;
    private final InstantSource clock;
    private final ZoneId zone;

    public AdminPoolResource(PoolAdminService service, CredentialPool pool, AdminInfo info, InstantSource clock,
                             ZoneId zone) {
        this.service = Objects.requireNonNull(service, "service");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.info = Objects.requireNonNull(info, "info");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** The pool counts first (a stable shape scripts read), then version, uptime, paths, skipped pool files. */
    @GET
    @Path("status")
    public Map<String, Object> status() {
        Map<PoolSection, Long> counts = service.counts();
        Instant now = clock.instant();
        CredentialPool.Snapshot snapshot = pool.snapshot();
        return Json.object().put("accounts", counts.get(PoolSection.CHATGPT))
                .put("claude_accounts", counts.get(PoolSection.CLAUDE)).put("api_keys", counts.get(PoolSection.KEYS))
                .put("version", info.version()).put("started_at", info.startedAt())
                .put("uptime_seconds", Math.max(0, Duration.between(info.startedAt(), now).toSeconds()))
                .put("now", now).put("zone", zone.getId())
                .put("listen", info.listen()).put("data_dir", info.dataDir()).put("pool_dir", info.poolDir())
                .put("token_file", info.tokenFile()).put("token_source", info.tokenSource())
                .put("disabled", snapshot.credentials().stream().filter(Credential::disabled).count())
                .put("problems", snapshot.problems().stream().map(p -> Json.object().put("file", p.path())
                        .put("problem", p.problem().orElse("")).build()).toList())
                .build();
    }

    @GET
    @Path("accounts")
    public List<Map<String, Object>> accounts() {
        return list(PoolSection.CHATGPT, AdminViews::account);
    }

    @GET
    @Path("claude-accounts")
    public List<Map<String, Object>> claudeAccounts() {
        return list(PoolSection.CLAUDE, AdminViews::claudeAccount);
    }

    @GET
    @Path("keys")
    public List<Map<String, Object>> keys() {
        return list(PoolSection.KEYS, AdminViews::key);
    }

    @POST
    @Path(SECTION + "/{label}/{action: disable|enable}")
    public Map<String, Object> toggle(@PathParam("section") String section, @PathParam("label") String label,
                                      @PathParam("action") String action) {
        PoolSection which = section(section);
        Credential c = service.setDisabled(which, label, action.equals("disable")).credential();
        return Json.object().put(idField(which), c.label()).put("disabled", c.disabled()).build();
    }

    /** Ends a cooldown and failure streak at once: {@code {"email"|"id", "cleared": bool}}. */
    @POST
    @Path(SECTION + "/{label}/clear-cooldown")
    public Map<String, Object> clearCooldown(@PathParam("section") String section, @PathParam("label") String label) {
        PoolSection which = section(section);
        return Json.object().put(idField(which), label).put("cleared", service.clearCooldown(which, label)).build();
    }

    /**
     * Edits the pool file's controls: {@code {"proxy"?, "max_concurrent"?, "models"?, "exclude_models"?,
     * "priority"?}}, each optional (absent: unchanged; {@code ""}, {@code 0} or {@code []}: removed). The file is
     * rewritten atomically; the answer shows the controls as the views do (proxy without its login).
     */
    @POST
    @Path(SECTION + "/{label}/controls")
    public Map<String, Object> editControls(@PathParam("section") String section, @PathParam("label") String label,
                                            InputStream body) {
        JsonNode json = Bodies.object(body, MAX_KEY_BODY);
        PoolSection which = section(section);
        io.proxygate.application.port.out.ControlsEdit edit;
        try {
            edit = new io.proxygate.application.port.out.ControlsEdit(Bodies.text(json, "proxy"),
                    whole(json, "max_concurrent"), globs(json, "models"), globs(json, "exclude_models"),
                    whole(json, "priority"));
        } catch (IllegalArgumentException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, e.getMessage());
        }
        PoolEntry updated;
        try {
            updated = service.editControls(which, label, edit);
        } catch (IllegalArgumentException e) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, e.getMessage());
        }
        var c = updated.controls();
        Json out = Json.object().put("credential", updated.credential().id().value())
                .put("proxy", c.proxy().map(p -> p.display()).orElse(""))
                .put("max_concurrent", c.maxConcurrent()).put("models", c.models())
                .put("exclude_models", c.excludeModels()).put("priority", c.priority());
        return out.build();
    }

    private static java.util.OptionalInt whole(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return java.util.OptionalInt.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, field + " must be a whole number");
        }
        return java.util.OptionalInt.of(n.intValue());
    }

    private static Optional<List<String>> globs(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        List<String> out = new java.util.ArrayList<>();
        if (n.isTextual()) {
            for (String part : n.asText().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return Optional.of(out);
        }
        if (!n.isArray()) {
            throw new AdminFailure(AdminFailure.Kind.INVALID, field + " must be a list of model globs");
        }
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw new AdminFailure(AdminFailure.Kind.INVALID, field + " must be a list of model globs");
            }
            if (!item.asText().isBlank()) {
                out.add(item.asText().strip());
            }
        }
        return Optional.of(out);
    }

    /** Moves the credential's file to {@code .deleted/}: {@code {"email"|"id", "removed": true, "deleted_as"?}}. */
    @DELETE
    @Path(SECTION + "/{label}")
    public Map<String, Object> delete(@PathParam("section") String section, @PathParam("label") String label) {
        PoolSection which = section(section);
        Optional<String> deletedAs = service.remove(which, label);
        return Json.object().put(idField(which), label).put("removed", true).opt("deleted_as", deletedAs).build();
    }

    /** Deleted credential files, newest first: {@code [{name, folder, file, deleted_at, label?, kind?, problem?}]}. */
    @GET
    @Path("deleted")
    public List<Map<String, Object>> deleted() {
        return service.deleted().stream().map(AdminViews::deleted).toList();
    }

    /** Puts a deleted file back (404 unknown name, 409 when a file or credential of that name is in the pool). */
    @POST
    @Path("deleted/{name}/restore")
    public Map<String, Object> restore(@PathParam("name") String name) {
        PoolAdminService.Restored restored = service.restore(name);
        Json json = Json.object().put("name", restored.name()).put("restored", true)
                .put("file", java.nio.file.Path.of(restored.path()).getFileName().toString());
        restored.credential().ifPresent(c -> json.put("credential", AdminViews.brief(c)));
        return json.build();
    }

    /** Adds an API key: {@code {"id", "name"?, "type", "api_key", "base_url"?}} → 201 with the key's public fields. */
    @POST
    @Path("keys")
    public Response addKey(InputStream body) {
        JsonNode json = Bodies.object(body, MAX_KEY_BODY);
        AddApiKey command = AddApiKey.of(Bodies.text(json, "id").orElse(null), Bodies.text(json, "name").orElse(null),
                Bodies.text(json, "type").orElse(null), Bodies.text(json, "api_key").orElse(null),
                Bodies.text(json, "base_url").orElse(null));
        PoolEntry entry = service.addApiKey(command);
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(AdminViews.brief(entry.credential()))
                .build();
    }

    @POST
    @Path("{section: accounts|claude-accounts}/{email}/refresh")
    public Map<String, Object> refresh(@PathParam("section") String section, @PathParam("email") String email) {
        Credential credential = service.refresh(section(section), email);
        Instant expiresAt = PoolAdminService.expiresAt(credential).orElse(clock.instant());
        // "refreshed_at" carries the new expiry, as the Go version's reply did and its scripts read it; "expires_at"
        // says what it is.
        return Json.object().put("email", credential.label()).put("expires_at", expiresAt)
                .put("refreshed_at", expiresAt).put("fingerprint", credential.fingerprint()).build();
    }

    /** Claude Code credentials JSON (≤ 64 KiB) → {@code {"email", "imported": true}}. */
    @POST
    @Path("claude-accounts/import")
    public Map<String, Object> importClaude(InputStream body) {
        ClaudeAccount account = service.importClaude(Bodies.read(body, MAX_IMPORT_BODY, "the JSON"));
        return Json.object().put("email", account.email()).put("imported", true).build();
    }

    private List<Map<String, Object>> list(PoolSection section, View view) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        return service.list(section).stream().map(v -> view.render(v, now, today)).toList();
    }

    private interface View {
        Map<String, Object> render(CredentialView view, Instant now, LocalDate today);
    }

    /** The section a URL segment of {@link #SECTION} names. */
    private static PoolSection section(String segment) {
        return switch (segment) {
            case "accounts" -> PoolSection.CHATGPT;
            case "claude-accounts" -> PoolSection.CLAUDE;
            default -> PoolSection.KEYS;
        };
    }

    /** The field that names a credential in answers: accounts by email, keys by id. */
    private static String idField(PoolSection section) {
        return section == PoolSection.KEYS ? "id" : "email";
    }

}
