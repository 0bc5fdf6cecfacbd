package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.proxygate.application.admin.AdminFailure;
import io.proxygate.application.clientkey.ClientKeyService;
import io.proxygate.application.clientkey.ClientKeyUsage;
import io.proxygate.application.clientkey.ClientKeyView;
import io.proxygate.application.clientkey.CreatedClientKey;
import io.proxygate.domain.clientkey.ClientKey;
import io.proxygate.domain.clientkey.ClientKeyRules;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Client keys: create (the only answer that carries the secret), list with today's and this month's usage, change
 * rules, revoke, and delete a revoked key (its request-log rows stay, still attributed to its id).
 */
@Path("/admin/client-keys")
@Produces(MediaType.APPLICATION_JSON)
public final class AdminClientKeysResource {
    private static final int MAX_BODY = 16 * 1024;

    private final ClientKeyService keys;
    private final InstantSource clock;
    private final ZoneId zone;
    private final Optional<String> publicBaseUrl;

    /** @param publicBaseUrl the address clients reach this server at, for the dashboard's setup snippets */
    public AdminClientKeysResource(ClientKeyService keys, InstantSource clock, ZoneId zone,
                                   Optional<String> publicBaseUrl) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
    }

    @GET
    public Map<String, Object> list() {
        List<Object> views = new ArrayList<>();
        for (ClientKeyView v : keys.list()) {
            views.add(view(v));
        }
        return Json.object().put("client_keys", views).opt("public_base_url", publicBaseUrl).build();
    }

    @POST
    public Response create(InputStream body) {
        JsonNode json = Bodies.object(body, MAX_BODY);
        String name = Bodies.text(json, "name").orElseThrow(() -> invalid("name is required"));
        CreatedClientKey created = call(() -> keys.create(name, rules(json, ClientKeyRules.NONE)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", created.key().id());
        out.put("name", created.key().name());
        out.put("key", created.secret());
        out.putAll(rules(created.key().rules()));
        out.put("prefix", created.key().prefix());
        out.put("created_at", created.key().createdAt().toString());
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).entity(out).build();
    }

    @PATCH
    @Path("{id}")
    public Map<String, Object> update(@PathParam("id") String id, InputStream body) {
        JsonNode json = Bodies.object(body, MAX_BODY);
        ClientKey key = call(() -> keys.find(id));
        ClientKey changed = call(() -> keys.update(key.id(), Bodies.text(json, "name"), rules(json, key.rules())));
        return summary(changed);
    }

    /**
     * Reads the keys again from the database now: the CLI writes keys there and calls this, so a running server
     * applies a created, changed or revoked key at once instead of at its next {@code sync_interval}.
     */
    @POST
    @Path("sync")
    public Map<String, Object> sync() {
        keys.sync();
        return Json.object().put("synced", true).build();
    }

    @POST
    @Path("{id}/revoke")
    public Map<String, Object> revoke(@PathParam("id") String id) {
        return summary(call(() -> keys.revoke(id)));
    }

    @DELETE
    @Path("{id}")
    public Map<String, Object> delete(@PathParam("id") String id) {
        call(() -> {
            keys.delete(id);
            return null;
        });
        return Json.object().put("deleted", id).build();
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (NoSuchElementException e) {
            throw new AdminFailure(AdminFailure.Kind.NOT_FOUND, e.getMessage());
        } catch (IllegalStateException e) {
            throw new AdminFailure(AdminFailure.Kind.CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static AdminFailure invalid(String message) {
        return new AdminFailure(AdminFailure.Kind.INVALID, message);
    }

    private Map<String, Object> summary(ClientKey key) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", key.id());
        out.put("name", key.name());
        out.putAll(rules(key.rules()));
        out.put("prefix", key.prefix());
        out.put("created_at", key.createdAt().toString());
        key.revokedAt().ifPresent(r -> out.put("revoked_at", r.toString()));
        return out;
    }

    private Map<String, Object> view(ClientKeyView v) {
        Map<String, Object> out = summary(v.key());
        v.lastUsedAt().ifPresent(t -> out.put("last_used_at", t.toString()));
        out.put("today", usage(v.today()));
        out.put("month", usage(v.month()));
        out.put("state", v.state());
        return out;
    }

    private static Map<String, Object> usage(ClientKeyUsage u) {
        return Json.object().put("requests", u.requests()).put("tokens", u.tokens()).put("cost_usd", u.costUsd())
                .build();
    }

    /** The rules as the API shows them: every rule named, absent ones null, so clients see the full shape. */
    static Map<String, Object> rules(ClientKeyRules r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("models", r.models());
        out.put("routes", r.routes());
        out.put("daily_budget_usd", r.dailyBudgetUsd().map(Json::money).orElse(null));
        out.put("monthly_budget_usd", r.monthlyBudgetUsd().map(Json::money).orElse(null));
        out.put("rpm", r.rpm().orElse(null));
        out.put("max_concurrent", r.maxConcurrent().orElse(null));
        out.put("expires_at", r.expiresAt().map(Object::toString).orElse(null));
        out.put("metadata", r.metadata());
        return out;
    }

    /** {@code base} with each field the body names replaced; a field sent as null clears that rule. */
    private ClientKeyRules rules(JsonNode json, ClientKeyRules base) {
        return call(() -> new ClientKeyRules(
                json.has("models") ? strings(json.get("models"), "models") : base.models(),
                json.has("routes") ? strings(json.get("routes"), "routes") : base.routes(),
                json.has("daily_budget_usd") ? money(json.get("daily_budget_usd"), "daily_budget_usd")
                        : base.dailyBudgetUsd(),
                json.has("monthly_budget_usd") ? money(json.get("monthly_budget_usd"), "monthly_budget_usd")
                        : base.monthlyBudgetUsd(),
                json.has("rpm") ? integer(json.get("rpm"), "rpm") : base.rpm(),
                json.has("max_concurrent") ? integer(json.get("max_concurrent"), "max_concurrent")
                        : base.maxConcurrent(),
                json.has("expires_at") ? (json.get("expires_at").isNull() ? Optional.empty()
                        : Optional.of(ClientKeyService.expiry(json.get("expires_at").asText(), clock.instant(), zone)))
                        : base.expiresAt(),
                json.has("metadata") ? metadata(json.get("metadata")) : base.metadata()));
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return Arrays.stream(node.asText().split(",")).toList();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> {
            if (!n.isTextual()) {
                throw new IllegalArgumentException(field + " must be a list of strings");
            }
            out.add(n.asText());
        });
        return out;
    }

    private static Optional<BigDecimal> money(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a number of US dollars");
        }
    }

    private static Optional<Integer> integer(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be a whole number");
        }
        return Optional.of(node.intValue());
    }

    private static Map<String, String> metadata(JsonNode node) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("metadata must be an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(),
                e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }
}
