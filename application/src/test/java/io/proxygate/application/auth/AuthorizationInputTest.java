package io.proxygate.application.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthorizationInputTest {
    @Test
    void fullRedirectUrlGivesItsUrlDecodedCodeAndState() throws LoginFailed {
        assertParsesTo("http://localhost:1455/auth/callback?code=ac_abc%2Fdef%2Bghi&scope=openid+profile&state=0123abcd",
                "ac_abc/def+ghi", "0123abcd");
    }

    @Test
    void fragmentIsNotPartOfTheState() throws LoginFailed {
        assertParsesTo("https://localhost/callback?state=s1&code=abcdefghijkl#x", "abcdefghijkl", "s1");
    }

    @Test
    void urlWithAnErrorReportsIt() {
        LoginFailed failed = catchThrowableOfType(LoginFailed.class, () -> AuthorizationInput.parse(
                "http://localhost:1461/callback?error=access_denied&state=abc"));
        assertThat(failed).hasMessage("oauth error: access_denied");
        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.DENIED);
    }

    @Test
    void urlWithoutQueryOrCodeIsRefused() {
        assertThat(catchThrowableOfType(LoginFailed.class,
                () -> AuthorizationInput.parse("http://localhost:1455/auth/callback")))
                .hasMessage("URL has no query string");
        assertThat(catchThrowableOfType(LoginFailed.class,
                () -> AuthorizationInput.parse("HTTPS://localhost:1455/auth/callback?state=abc")))
                .hasMessage("no code in URL");
    }

    @Test
    void bareCodeNeedsTenCharacters() throws LoginFailed {
        assertThat(AuthorizationInput.parse("  abcdefghij \n")).isEqualTo(
                new AuthorizationInput("abcdefghij", Optional.empty()));
        LoginFailed failed = catchThrowableOfType(LoginFailed.class, () -> AuthorizationInput.parse("abcdefghi"));
        assertThat(failed).hasMessage("input too short to be an authorization code");
        assertThat(failed.reason()).isEqualTo(LoginFailed.Reason.BAD_INPUT);
        assertThat(catchThrowableOfType(LoginFailed.class, () -> AuthorizationInput.parse(null)))
                .hasMessage("input too short to be an authorization code");
    }

    @Test
    void claudeCodeHashStateFormIsSplit() throws LoginFailed {
        assertParsesTo("claude-code-value#stateval", "claude-code-value", "stateval");
    }

    @Test
    void toStringDoesNotShowTheCode() throws LoginFailed {
        assertThat(AuthorizationInput.parse("secret-code-value").toString()).doesNotContain("secret-code-value");
    }

    /** {@code raw}, as pasted, gives this code and this state. */
    private static void assertParsesTo(String raw, String code, String state) throws LoginFailed {
        AuthorizationInput input = AuthorizationInput.parse(raw);
        assertThat(input.code()).isEqualTo(code);
        assertThat(input.state()).contains(state);
    }
}
