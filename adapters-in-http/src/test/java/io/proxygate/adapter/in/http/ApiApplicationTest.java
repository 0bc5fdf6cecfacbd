package io.proxygate.adapter.in.http;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's Jersey application: the one resource, all five methods on one template, and a quiet start. */
class ApiApplicationTest {
    private final ApiResource resource = new ApiResource(command -> {
        throw new AssertionError("not called");
    }, new ClientAuth(Optional.empty(), false, false, List::of), 1024, DisconnectWatch.NONE);

    @Test
    void theResourceIsServedByTheInstanceGivenOnItsOwnTemplate() {
        Resource model = ApiApplication.resourceOf(resource);
        assertThat(model.getPath()).isEqualTo("{path: .+}");
        assertThat(model.getResourceMethods()).extracting(ResourceMethod::getHttpMethod)
                .containsExactlyInAnyOrder("GET", "POST", "PUT", "PATCH", "DELETE");
        assertThat(model.getHandlerInstances()).containsExactly(resource);
    }

    @Test
    void startingTheApplicationLogsNoWarning() {
        Logger jersey = Logger.getLogger("org.glassfish.jersey");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jersey.addHandler(capture);
        try {
            new ApplicationHandler(new ApiApplication(resource));
        } finally {
            jersey.removeHandler(capture);
        }
        assertThat(warnings).extracting(LogRecord::getMessage).isEmpty();
    }
}
