package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxygate.application.fallback.ManageClaudeFallbackUseCase;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.InvalidFallbackPolicyException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /admin/claude-fallback}: read the Claude fallback policy with the variant catalog, and replace it live
 * ({@code PUT {"policy":{...}}}: validated, applied at once, stored). Admin authentication is the admin filter's.
 */
@Path("/admin/claude-fallback")
@Produces(MediaType.APPLICATION_JSON)
public final class ClaudeFallbackResource {
    /** A PUT body is read up to this much; a policy is a few rules, so more is a mistake or abuse. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ManageClaudeFallbackUseCase fallback;

    public ClaudeFallbackResource(ManageClaudeFallbackUseCase fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    @GET
    public FallbackPolicyJson.PolicyAndVariants get() {
        return new FallbackPolicyJson.PolicyAndVariants(FallbackPolicyJson.Policy.of(fallback.policy()),
                fallback.variants().stream().map(FallbackPolicyJson.Variant::of).toList());
    }

    /** Parsed here, not by Jersey, so a malformed body gets the plain {@code invalid body} that clients expect. */
    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response put(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        FallbackPolicyJson.PutRequest request;
        try {
            request = bytes.length > MAX_BODY_BYTES ? null : JSON.readValue(bytes, FallbackPolicyJson.PutRequest.class);
        } catch (JsonProcessingException e) {
            request = null;
        }
        if (request == null || request.policy() == null) {
            return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity("invalid body\n").build();
        }
        FallbackPolicy policy;
        try {
            policy = request.policy().toDomain();
        } catch (InvalidFallbackPolicyException e) {
            return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", e.getMessage())).build();
        }
        FallbackPolicy applied = fallback.replacePolicy(policy);
        return Response.ok(new FallbackPolicyJson.PolicyReply(FallbackPolicyJson.Policy.of(applied))).build();
    }
}
