package io.proxygate.adapter.in.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import io.proxygate.application.fallback.FallbackPolicyService;
import io.proxygate.application.port.out.FallbackPolicyPort;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.VertexPort;
import io.proxygate.application.port.out.VertexRequest;
import io.proxygate.application.port.out.VertexStatus;
import io.proxygate.domain.fallback.FallbackPolicy;
import io.proxygate.domain.fallback.FallbackRule;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DropwizardExtensionsSupport.class)
class ClaudeFallbackResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<FallbackPolicy> stored = new AtomicReference<>();
    private final AtomicReference<VertexStatus> vertexStatus = new AtomicReference<>(
            new VertexStatus(true, Optional.of("test-project"), Optional.of("us-east5"),
                    Optional.of("service_account"), Optional.empty()));
    private final FallbackPolicyService service = new FallbackPolicyService(new FallbackPolicyPort() {
        @Override
        public Optional<FallbackPolicy> load() {
            return Optional.ofNullable(stored.get());
        }

        @Override
        public void save(FallbackPolicy policy) {
            stored.set(policy);
        }
    }, new VertexPort() {
        @Override
        public boolean usable() {
            return vertexStatus.get().available();
        }

        @Override
        public VertexStatus status() {
            return vertexStatus.get();
        }

        @Override
        public UpstreamCall open(VertexRequest request) {
            throw new AssertionError("not called by the admin API");
        }
    });

    private final ResourceExtension resources = ResourceExtension.builder()
            .addResource(new ClaudeFallbackResource(service))
            .addResource(new GcpStatusResource(service))
            .build();

    private JsonNode getJson(String path) throws Exception {
        return JSON.readTree(resources.target(path).request().get(String.class));
    }

    private Response put(String body) {
        return resources.target("/admin/claude-fallback").request()
                .put(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));
    }

    @Test
    void getShowsTheDefaultPolicyAndTheVariantCatalog() throws Exception {
        JsonNode body = getJson("/admin/claude-fallback");

        assertThat(body.path("policy").path("enabled").asBoolean()).isTrue();
        assertThat(body.path("policy").path("rules").toString()).isEqualTo("[{\"enabled\":true,"
                + "\"from_model\":\"claude-opus-4-7\",\"to_model\":\"claude-opus-4-6\",\"to_variant\":\"preserve\"},"
                + "{\"enabled\":true,\"from_model\":\"claude-haiku-4-5\",\"to_model\":\"claude-sonnet-4-6\","
                + "\"to_variant\":\"preserve\"},{\"enabled\":true,\"from_model\":\"claude-sonnet-4-6\","
                + "\"to_model\":\"claude-sonnet-4-6\",\"to_variant\":\"preserve\"}]");
        assertThat(body.path("variants")).hasSize(7);
        assertThat(body.path("variants").get(3).toString()).isEqualTo("{\"id\":\"thinking-16k\","
                + "\"label\":\"Thinking 16k\",\"description\":\"Set Anthropic thinking budget to 16k tokens.\"}");
    }

    @Test
    void putValidatesNormalisesAppliesAndStoresThePolicy() throws Exception {
        Response response = put("{\"policy\":{\"enabled\":true,\"rules\":[{\"enabled\":true,"
                + "\"from_model\":\"Claude Opus 4.7\",\"from_variant\":\"Thinking_32K\",\"to_model\":\"claude-opus4.6\","
                + "\"to_variant\":\"thinking-16k\"},{\"enabled\":false,\"from_model\":\"\",\"to_model\":\"\"}]}}");

        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.readEntity(String.class));
        assertThat(body.path("policy").path("rules").get(0).toString()).isEqualTo("{\"enabled\":true,"
                + "\"from_model\":\"claude-opus-4-7\",\"from_variant\":\"thinking-32k\",\"to_model\":\"claude-opus-4-6\","
                + "\"to_variant\":\"thinking-16k\"}");
        FallbackPolicy expected = new FallbackPolicy(true, List.of(
                new FallbackRule(true, "claude-opus-4-7", "thinking-32k", "claude-opus-4-6", "thinking-16k"),
                new FallbackRule(false, "", "", "", "")));
        assertThat(service.policy()).isEqualTo(expected);
        assertThat(stored.get()).isEqualTo(expected);
        assertThat(getJson("/admin/claude-fallback").path("policy")).isEqualTo(body.path("policy"));
    }

    @Test
    void putRejectsARuleWithoutModelsWithTheOriginalsReason() throws Exception {
        Response response = put("{\"policy\":{\"enabled\":true,\"rules\":[{\"enabled\":true,"
                + "\"from_model\":\"claude-opus-4-7\"}]}}");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(JSON.readTree(response.readEntity(String.class)).path("error").asText())
                .isEqualTo("enabled fallback rules require from_model and to_model");
        assertThat(stored.get()).isNull();
        assertThat(service.policy()).isEqualTo(FallbackPolicy.DEFAULT);
    }

    @Test
    void putRejectsAVariantThatCannotBeApplied() throws Exception {
        Response response = put("{\"policy\":{\"enabled\":true,\"rules\":[{\"enabled\":true,"
                + "\"from_model\":\"claude-opus-4-7\",\"to_model\":\"claude-opus-4-6\",\"to_variant\":\"turbo\"}]}}");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(JSON.readTree(response.readEntity(String.class)).path("error").asText())
                .isEqualTo("unsupported claude variant \"turbo\"");
    }

    @Test
    void putAnswersInvalidBodyToMalformedJson() {
        for (String bad : List.of("{\"policy\":", "[]", "{}", "{\"policy\":{\"rules\":\"x\"}}")) {
            Response response = put(bad);
            assertThat(response.getStatus()).as(bad).isEqualTo(400);
            assertThat(response.readEntity(String.class)).as(bad).isEqualTo("invalid body\n");
        }
        assertThat(stored.get()).isNull();
    }

    @Test
    void gcpReportsTheVertexStatus() throws Exception {
        assertThat(getJson("/admin/gcp").toString()).isEqualTo("{\"available\":true,\"project_id\":\"test-project\","
                + "\"location\":\"us-east5\",\"auth_method\":\"service_account\"}");

        vertexStatus.set(VertexStatus.unavailable("missing project or location"));
        assertThat(getJson("/admin/gcp").toString())
                .isEqualTo("{\"available\":false,\"error\":\"missing project or location\"}");
    }
}
