package io.proxygate.bootstrap;

import io.proxygate.bootstrap.support.FaultyUpstream;
import io.proxygate.bootstrap.support.FaultyUpstream.Behaviour;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM with streams that outlast {@code shutdown_grace}: every stream ends with the API's error event, every
 * request has its row (marked cut), and the exit status is 0, because cutting them is what the grace means.
 */
class ShutdownCutSystemIT {
    private static final int STREAMS = 8;

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    @Test
    void streamsOutlastingTheGraceAreCutWithAnErrorEventAndARowAndTheExitIsZero(@TempDir Path root)
            throws Exception {
        try (FaultyUpstream upstream = new FaultyUpstream()) {
            upstream.behave(Behaviour.DRIPPING_STREAM);
            PoolFiles.key(root.resolve("pool"), "openai-1", "openai", "sk-test-openai-cut");
            try (ServerProcess server = ServerProcess.start(root, Map.of(
                    "PROXYGATE_UPSTREAM_OPENAI_BASE_URL", upstream.url() + "/v1",
                    "PROXYGATE_SERVER_SHUTDOWN_GRACE", "2s"))) {
                List<CompletableFuture<String>> streams = server.openResponsesStreams(http, STREAMS);

                server.process().destroy(); // SIGTERM

                for (CompletableFuture<String> stream : streams) {
                    String body = stream.get(30, TimeUnit.SECONDS);
                    String[] events = body.strip().split("\n\n");
                    assertThat(events[events.length - 1]).as(body).startsWith("event: error\ndata: ")
                            .contains("shutting down");
                }
                assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
                assertThat(server.process().exitValue()).as(server.log()).isZero();
            }
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("data/proxygate.db"));
                 Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(CASE WHEN error_class = 'cut_by_shutdown' "
                         + "THEN 1 ELSE 0 END) FROM request_log")) {
                rs.next();
                assertThat(rs.getInt(1)).as("request-log rows").isEqualTo(STREAMS);
                assertThat(rs.getInt(2)).as("rows marked cut").isEqualTo(STREAMS);
            }
        }
    }
}
