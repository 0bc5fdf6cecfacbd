package io.proxygate.bootstrap.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether the server listens on loopback only. The wiring hands this to the client check: on loopback a Claude Code
 * logged in with one of the pool's own Claude tokens may present it instead of the proxy token.
 */
class ListenAddressTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "127.255.255.254", "localhost", "::1"})
    void loopbackAddressesCount(String host) {
        assertThat(new ListenAddress(host, 19527).isLoopback()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.com", "localhost.example.com",
            "128.0.0.1", "::2", "127.example.com", "127.0.0.1.nip.io", "127.0.0.256"})
    void everyOtherAddressIsReachableFromOutside(String host) {
        assertThat(new ListenAddress(host, 19527).isLoopback()).isFalse();
    }

    @Test
    void theDashboardUrlIsOneABrowserCanOpen() {
        ProxyGateConfiguration.ServerSection server = new ProxyGateConfiguration.ServerSection();
        server.addr = new ListenAddress("0.0.0.0", 19627);
        assertThat(server.dashboardUrl()).isEqualTo("http://127.0.0.1:19627/");
        server.addr = new ListenAddress("::", 19627);
        assertThat(server.dashboardUrl()).isEqualTo("http://[::1]:19627/");
        server.addr = new ListenAddress("192.168.1.20", 19627);
        assertThat(server.dashboardUrl()).isEqualTo("http://192.168.1.20:19627/");
        server.addr = new ListenAddress("0.0.0.0", 19627);
        server.publicBaseUrl = " https://gate.example.com ";
        assertThat(server.dashboardUrl()).isEqualTo("https://gate.example.com/");
    }
}
