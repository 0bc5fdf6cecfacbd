package io.proxygate.adapter.out.upstream;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.proxygate.application.http.Headers;
import io.proxygate.application.http.Route;
import io.proxygate.application.port.out.UpstreamCall;
import io.proxygate.application.port.out.UpstreamException;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.proxygate.adapter.out.upstream.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FirstUseTlsStrategyTest {
    private static final String BODY = "{\"model\":\"gpt-5\",\"input\":\"hi\",\"stream\":true}";

    @Test
    void theStrategyIsMadeAtTheFirstUpgradeAndOnlyOnce() {
        AtomicInteger made = new AtomicInteger();
        AtomicInteger upgrades = new AtomicInteger();
        FirstUseTlsStrategy strategy = new FirstUseTlsStrategy(() -> {
            made.incrementAndGet();
            return new CountingStrategy(upgrades);
        });
        assertThat(made).as("nothing made while the client is built").hasValue(0);

        strategy.upgrade(null, new HttpHost("https", "a.example", 443), null, null, Timeout.ofSeconds(1), null);
        strategy.upgrade(null, new HttpHost("https", "b.example", 443), null, Timeout.ofSeconds(1), null);

        assertThat(made).hasValue(1);
        assertThat(upgrades).as("both upgrades reach the strategy").hasValue(2);
    }

    /** The default strategy is behind it: an upstream whose certificate no trusted authority signed is refused. */
    @Test
    void anUpstreamWithAnUntrustedCertificateIsRefusedBeforeAnyRequest(@TempDir Path dir) throws Exception {
        HttpsServer server = selfSignedServer(dir);
        AtomicInteger served = new AtomicInteger();
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String base = "https://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        try (HttpUpstreamAdapter adapter = new HttpUpstreamAdapter(UpstreamSettings.builder().openaiBaseUrl(base)
                .build())) {
            UpstreamCall call = adapter.open(request(Route.RESPONSES, Fixtures.openaiKey(null), Headers.EMPTY, BODY,
                    true));

            assertThatThrownBy(call::awaitHead).isInstanceOf(UpstreamException.class)
                    .hasMessageContaining("PKIX path building failed");
            call.close();
        } finally {
            server.stop(0);
        }
        assertThat(served).as("requests that reached the untrusted server").hasValue(0);
    }

    private static HttpsServer selfSignedServer(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return server;
    }

    private record CountingStrategy(AtomicInteger upgrades) implements TlsStrategy {
        @Override
        @Deprecated
        public boolean upgrade(TransportSecurityLayer session, HttpHost host, SocketAddress localAddress,
                               SocketAddress remoteAddress, Object attachment, Timeout handshakeTimeout) {
            upgrades.incrementAndGet();
            return true;
        }

        @Override
        public void upgrade(TransportSecurityLayer session, NamedEndpoint endpoint, Object attachment,
                            Timeout handshakeTimeout, FutureCallback<TransportSecurityLayer> callback) {
            upgrades.incrementAndGet();
        }
    }
}
