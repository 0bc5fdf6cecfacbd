package io.proxygate.adapter.in.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard page is served without a token: its sign-in hint names the token file without the server's layout. */
class DashboardResourceTest {
    @Test
    void theHintNamesATokenInTheDataFolderRelativeToIt() {
        String page = page(new DashboardResource("/home/alice/srv/proxygate/data/.admin_token",
                "/home/alice/srv/proxygate/data"));
        assertThat(page).contains("<meta name=\"proxygate-token-file\" content=\".admin_token\">")
                .contains("cat .admin_token</code> " + DashboardResource.IN_DATA_DIR)
                .doesNotContain("/home/alice").doesNotContain("__TOKEN");
    }

    @Test
    void aTokenBesideTheConfigFileIsNamedByItsFileNameAlone() {
        String page = page(new DashboardResource("/etc/proxygate/.admin_token", "/var/lib/proxygate"));
        assertThat(page).contains("content=\".admin_token\"").contains(DashboardResource.BESIDE_CONFIG)
                .doesNotContain("/etc/proxygate").doesNotContain("/var/lib");
    }

    @Test
    void namesAreEscapedAndOddPathsFallBackToTheDefault() {
        assertThat(page(new DashboardResource("/d/\"><script>.admin_token", "/d")))
                .contains("content=\"&quot;&gt;&lt;script&gt;.admin_token\"").doesNotContain("<script>");
        assertThat(DashboardResource.hint("/", "/")[0]).isEqualTo(DashboardResource.DEFAULT_TOKEN_FILE);
        assertThat(page(new DashboardResource())).contains(DashboardResource.DEFAULT_TOKEN_FILE);
    }

    private static String page(DashboardResource resource) {
        return (String) resource.index().getEntity();
    }
}
