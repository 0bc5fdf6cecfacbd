package io.proxygate.adapter.in.http;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.server.model.Resource;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

/**
 * A lean Jersey application for the relayed API routes, apart from the admin application: one resource and
 * Jersey's built-in byte-stream providers, nothing else. No bean validation, WADL, JSON providers, auto-discovered
 * features or per-method metrics run on the hot path; bodies are raw bytes in and a {@code StreamingOutput} out.
 */
public final class ApiApplication extends ResourceConfig {
    public ApiApplication(ApiResource resource) {
        registerResources(resourceOf(resource));
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        property(ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        property(ServerProperties.BV_FEATURE_DISABLE, true);
        property(ServerProperties.JSON_PROCESSING_FEATURE_DISABLE, true);
        property(ServerProperties.MOXY_JSON_FEATURE_DISABLE, true);
        // The entity stream writes through at once: a relayed SSE event must not wait in a buffer for its length.
        property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        // Errors are answered with a status and a body of our own, never the container's error page.
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        setApplicationName("proxygate-api");
    }

    /**
     * The resource's model, read from its own annotations (its {@code @Path} and one method per HTTP method) and
     * handled by this very instance. Registering the instance itself ({@code register(resource)}) routes the same,
     * but Jersey also checks every registered instance as a would-be provider and, finding no provider interface,
     * logged a warning at every start that the "provider" would be ignored.
     */
    static Resource resourceOf(Object handler) {
        Class<?> type = handler.getClass();
        Resource.Builder builder = Resource.builder(type.getAnnotation(Path.class).value());
        for (Method method : type.getMethods()) {
            for (Annotation annotation : method.getAnnotations()) {
                HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
                if (http != null) {
                    builder.addMethod(http.value()).handledBy(handler, method);
                }
            }
        }
        return builder.build();
    }
}
