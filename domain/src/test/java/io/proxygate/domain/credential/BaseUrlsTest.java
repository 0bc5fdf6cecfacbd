package io.proxygate.domain.credential;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BaseUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://api.openai.com/v1", "https://fake-resource.openai.azure.example",
            "https://gw.example:8443/openai/", "http://127.0.0.1:9/v1", "http://localhost:4000", "http://[::1]:8080/v1",
            "HTTPS://API.EXAMPLE/V1"})
    void acceptsPlainHttpsAndLoopbackHttpUrls(String url) {
        assertThat(BaseUrls.problem(url)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://169.254.169.254/latest/meta-data/#       | fragment",
            "https://api.example/v1#                         | fragment",
            "https://api.example/v1?                         | query",
            "https://user:pass@api.example/v1                | user info",
            "https://api.openai.com@evil.example/v1          | user info",
            "ftp://api.example/v1                            | http(s)",
            "file:///etc/passwd                              | http(s)",
            "gopher://127.0.0.1:6379/_x                      | http(s)",
            "/v1                                             | http(s)",
            "http://internal.example:8080/v1                 | https",
            "http://10.0.0.5/v1                              | https",
            "http://127.0.0.1.evil.example/v1                | https",
            "https://api.example/v 1                         | spaces",
            "https:///v1                                     | host"})
    void refusesUrlsThatCouldRedirectAKeyOrItsPrompts(String url, String reason) {
        assertThat(BaseUrls.problem(url.strip())).hasValueSatisfying(p -> assertThat(p).contains(reason.strip()));
    }
}
