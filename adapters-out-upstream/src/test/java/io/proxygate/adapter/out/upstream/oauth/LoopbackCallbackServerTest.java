package io.proxygate.adapter.out.upstream.oauth;

import io.proxygate.application.port.out.CallbackListenerPort;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class LoopbackCallbackServerTest {
    private final LoopbackCallbackServer server = new LoopbackCallbackServer();
    private static final String STATE = "3f1c2a9d8e7b6a5f4e3d2c1b0a998877";
    private final TestBrowser browser = new TestBrowser();

    @Test
    void skipsATakenPortAndHandsOverTheDecodedQuery() throws Exception {
        try (ServerSocket taken = portWithAFreeNeighbour()) {
            int busy = taken.getLocalPort();
            try (CallbackListenerPort.Listener listener = listenNear(busy)) {
                assertThat(listener.port()).isEqualTo(busy + 1);

                CompletableFuture<TestBrowser.Page> page = visitLater("http://127.0.0.1:" + listener.port()
                        + "/cb?code=a%2Fb%2Bc&state=s%20t");

                assertThat(listener.callback().get(5, TimeUnit.SECONDS))
                        .containsEntry("code", "a/b+c").containsEntry("state", "s t");
                listener.finish(Optional.empty());
                assertThat(page.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
                assertThat(page.get().body()).contains("Login received");
                assertThat(browser.visit("http://127.0.0.1:" + listener.port() + "/cb?code=again&state=s%20t").status())
                        .isEqualTo(409);
            }
        }
    }

    @Test
    void aLocalPageWithoutTheStateCannotAbortOrCompleteThePendingLogin() throws Exception {
        try (CallbackListenerPort.Listener listener = server.listen(0, 0, "/callback", STATE)) {
            String base = "http://127.0.0.1:" + listener.port() + "/callback";
            for (String attack : List.of("?error=access_denied", "?error=access_denied&state=guess",
                    "?code=planted&state=", "?code=planted&state=" + STATE + "x", "?code=planted")) {
                TestBrowser.Page page = browser.visit(base + attack);
                assertThat(page.status()).as(attack).isEqualTo(400);
                assertThat(page.body()).as(attack).doesNotContain("Login received").doesNotContain("Login failed");
                assertThat(listener.callback()).as(attack).isNotDone();
            }

            CompletableFuture<TestBrowser.Page> real = visitLater(base + "?code=real&state=" + STATE);
            assertThat(listener.callback().get(5, TimeUnit.SECONDS)).containsEntry("code", "real");
            listener.finish(Optional.empty());
            assertThat(real.get(10, TimeUnit.SECONDS).body()).contains("Login received");
        }
    }

    @Test
    void thePageSaysLoginReceivedOnlyWhenTheCodeWasAccepted() throws Exception {
        try (CallbackListenerPort.Listener listener = server.listen(0, 0, "/callback", STATE)) {
            CompletableFuture<TestBrowser.Page> page = visitLater("http://127.0.0.1:" + listener.port()
                    + "/callback?code=stale&state=" + STATE);
            listener.callback().get(5, TimeUnit.SECONDS);
            assertThat(page).as("the page waits for the exchange").isNotDone();

            listener.finish(Optional.of("ChatGPT token exchange failed: invalid_grant"));

            TestBrowser.Page answered = page.get(10, TimeUnit.SECONDS);
            assertThat(answered.status()).isEqualTo(502);
            assertThat(answered.body()).contains("Login failed").contains("invalid_grant")
                    .doesNotContain("Login received");
        }
    }

    @Test
    void otherPathsAre404AndDoNotEndTheWait() throws Exception {
        try (CallbackListenerPort.Listener listener = server.listen(0, 0, "/auth/callback", STATE)) {
            assertThat(browser.visit("http://127.0.0.1:" + listener.port() + "/favicon.ico").status()).isEqualTo(404);
            assertThat(browser.visit("http://127.0.0.1:" + listener.port() + "/auth/callbackX?code=x").status())
                    .isEqualTo(404);
            assertThat(listener.callback()).isNotDone();
        }
    }

    @Test
    void errorParameterEndsTheWaitWithAFailurePage() throws Exception {
        try (CallbackListenerPort.Listener listener = server.listen(0, 0, "/callback", STATE)) {
            TestBrowser.Page page = browser.visit("http://127.0.0.1:" + listener.port()
                    + "/callback?error=access_denied&state=" + STATE);

            assertThat(page.status()).isEqualTo(400);
            assertThat(page.body()).contains("access_denied");
            assertThat(listener.callback().get(5, TimeUnit.SECONDS)).containsEntry("error", "access_denied");
        }
    }

    @Test
    void closingCancelsTheWaitAndFreesThePort() throws Exception {
        CallbackListenerPort.Listener listener = server.listen(0, 0, "/callback", STATE);
        int port = listener.port();

        listener.close();

        assertThatThrownBy(() -> listener.callback().get(5, TimeUnit.SECONDS))
                .isInstanceOf(CancellationException.class);
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void fullRangeIsAnIoError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            IOException error = catchThrowableOfType(IOException.class, () -> server.listen(port, port, "/x", STATE));
            assertThat(error).hasMessage("every port of " + port + ".." + port + " is in use");
        }
    }

    @Test
    void queryParsingKeepsTheFirstValueAndSkipsMalformedEscapes() {
        assertThat(LoopbackCallbackServer.query("code=1&code=2&bad=%zz&flag")).isEqualTo(
                Map.of("code", "1", "flag", ""));
    }

    /**
     * A listening socket on an ephemeral port whose next port is free right now: on a machine with many open
     * connections an ephemeral port's neighbour is often taken by one of them.
     */
    private static ServerSocket portWithAFreeNeighbour() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            try (ServerSocket probe = new ServerSocket(taken.getLocalPort() + 1, 1, InetAddress.getLoopbackAddress())) {
                return taken;
            } catch (IOException neighbourBusy) {
                taken.close();
            }
        }
        throw new IOException("no ephemeral port with a free neighbour");
    }

    /** Listens on busy..busy+1. */
    private CallbackListenerPort.Listener listenNear(int busy) throws IOException {
        return server.listen(busy, busy + 1, "/cb", "s t");
    }

    private CompletableFuture<TestBrowser.Page> visitLater(String url) {
        return CompletableFuture.supplyAsync(() -> browser.visit(url), Executors.newVirtualThreadPerTaskExecutor());
    }
}
