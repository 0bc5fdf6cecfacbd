package io.proxygate.adapter.out.upstream.oauth;

import io.proxygate.application.auth.CallbackListenerPort;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class LoopbackCallbackServerTest {
    private final LoopbackCallbackServer server = new LoopbackCallbackServer();
    private final TestBrowser browser = new TestBrowser();

    @Test
    void skipsATakenPortAndHandsOverTheDecodedQuery() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int busy = taken.getLocalPort();
            try (CallbackListenerPort.Listener listener = listenNear(busy)) {
                assertThat(listener.port()).isEqualTo(busy + 1);

                TestBrowser.Page page = browser.visit("http://127.0.0.1:" + listener.port()
                        + "/cb?code=a%2Fb%2Bc&state=s%20t");

                assertThat(page.status()).isEqualTo(200);
                assertThat(listener.callback().get(5, TimeUnit.SECONDS))
                        .containsEntry("code", "a/b+c").containsEntry("state", "s t");
                assertThat(browser.visit("http://127.0.0.1:" + listener.port() + "/cb?code=again").status())
                        .isEqualTo(409);
            }
        }
    }

    @Test
    void otherPathsAre404AndDoNotEndTheWait() throws Exception {
        try (CallbackListenerPort.Listener listener = server.listen(0, 0, "/auth/callback")) {
            assertThat(browser.visit("http://127.0.0.1:" + listener.port() + "/favicon.ico").status()).isEqualTo(404);
            assertThat(browser.visit("http://127.0.0.1:" + listener.port() + "/auth/callbackX?code=x").status())
                    .isEqualTo(404);
            assertThat(listener.callback()).isNotDone();
        }
    }

    @Test
    void errorParameterEndsTheWaitWithAFailurePage() throws Exception {
        try (CallbackListenerPort.Listener listener = server.listen(0, 0, "/callback")) {
            TestBrowser.Page page = browser.visit("http://127.0.0.1:" + listener.port()
                    + "/callback?error=access_denied&state=s");

            assertThat(page.status()).isEqualTo(400);
            assertThat(page.body()).contains("access_denied");
            assertThat(listener.callback().get(5, TimeUnit.SECONDS)).containsEntry("error", "access_denied");
        }
    }

    @Test
    void closingCancelsTheWaitAndFreesThePort() throws Exception {
        CallbackListenerPort.Listener listener = server.listen(0, 0, "/callback");
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
            IOException error = catchThrowableOfType(IOException.class, () -> server.listen(port, port, "/x"));
            assertThat(error).hasMessage("every port of " + port + ".." + port + " is in use");
        }
    }

    @Test
    void queryParsingKeepsTheFirstValueAndSkipsMalformedEscapes() {
        assertThat(LoopbackCallbackServer.query("code=1&code=2&bad=%zz&flag")).isEqualTo(
                Map.of("code", "1", "flag", ""));
    }

    /** Listens on busy..busy+1 (an ephemeral port's neighbour is practically always free). */
    private CallbackListenerPort.Listener listenNear(int busy) throws IOException {
        return server.listen(busy, busy + 1, "/cb");
    }
}
