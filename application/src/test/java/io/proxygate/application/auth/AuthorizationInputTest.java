package io.proxygate.application.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthorizationInputTest {
    @Test
    void fullRedirectUrlGivesItsUrlDecodedCodeAndState() throws LoginFailed {
        AuthorizationInput input = AuthorizationInput.parse(
                "http://localhost:1455/auth/callback?code=ac_abc%2Fdef%2Bghi&scope=openid+profile&state=0123abcd");
        assertThat(input.code()).isEqualTo("ac_abc/def+ghi");
        assertThat(input.state()).contains("0123abcd");
    }

    @Test
    void fragmentIsNotPartOfTheState() throws LoginFailed {
        AuthorizationInput input = AuthorizationInput.parse("https://localhost/callback?state=s1&code=abcdefghijkl#x");
        assertThat(input.state()).contains("s1");
        assertThat(input.code()).isEqualTo("abcdefghijkl");
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
        AuthorizationInput input = AuthorizationInput.parse("claude-code-value#stateval");
        assertThat(input.code()).isEqualTo("claude-code-value");
        assertThat(input.state()).contains("stateval");
    }

    @Test
    void toStringDoesNotShowTheCode() throws LoginFailed {
        assertThat(AuthorizationInput.parse("secret-code-value").toString()).doesNotContain("secret-code-value");
    }
}
