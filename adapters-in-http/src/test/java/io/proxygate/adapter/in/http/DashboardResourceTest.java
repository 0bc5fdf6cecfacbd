package io.proxygate.adapter.in.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard page is served without a token: its sign-in hint says how to read the token, escaped. */
class DashboardResourceTest {
    @Test
    void theHintAndWhereToRunItAreFilledIn() {
        String page = page(new DashboardResource("cat .admin_token", "in the data folder ([paths] data_dir)"));
        assertThat(page).contains("<meta name=\"proxygate-token-hint\" content=\"cat .admin_token\">")
                .contains("cat .admin_token</code> in the data folder ([paths] data_dir)")
                .doesNotContain("__TOKEN");
    }

    @Test
    void hintsAreEscapedAndAMissingOneFallsBackToTheDefault() {
        assertThat(page(new DashboardResource("cat \"><script>.admin_token", "here")))
                .contains("cat &quot;&gt;&lt;script&gt;.admin_token").doesNotContain("<script>");
        assertThat(page(new DashboardResource())).contains(DashboardResource.DEFAULT_TOKEN_HINT)
                .contains(DashboardResource.DEFAULT_TOKEN_WHERE);
        assertThat(page(new DashboardResource("", "ignored without a hint")))
                .contains(DashboardResource.DEFAULT_TOKEN_HINT).doesNotContain("ignored");
    }

    private static String page(DashboardResource resource) {
        return (String) resource.index().getEntity();
    }
}
