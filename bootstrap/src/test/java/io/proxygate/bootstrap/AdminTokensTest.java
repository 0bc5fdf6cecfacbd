package io.proxygate.bootstrap;

import io.proxygate.bootstrap.config.ConfigLoader;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the admin token comes from, and what the start-up line, the status and the sign-in hint say about it. */
class AdminTokensTest {
    @TempDir
    Path dir;

    private ProxyGateConfiguration load(Path config, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("PROXYGATE_DATA_DIR", dir.resolve("data").toString());
        return new ConfigLoader().load(config, all);
    }

    @Test
    void aTokenFromTheEnvironmentNamesTheVariableAndNoFile() throws Exception {
        AdminTokens.AdminToken token = AdminTokens.resolve(load(dir.resolve("absent.toml"),
                Map.of("PROXYGATE_ADMIN_TOKEN", "admin-secret-1")));

        assertThat(token.value()).isEqualTo("admin-secret-1");
        assertThat(token.file()).isEmpty();
        assertThat(token.where()).isEqualTo("from PROXYGATE_ADMIN_TOKEN");
        assertThat(token.hint()).isEqualTo("echo $PROXYGATE_ADMIN_TOKEN");
        assertThat(token.hintWhere()).isEqualTo("on the server");
        assertThat(dir.resolve("data/.admin_token")).doesNotExist();
    }

    @Test
    void aConfiguredTokenKeptInNoFileNamesTheKeyAndTheConfigFile() throws Exception {
        Path config = Path.of("").toAbsolutePath().resolve("config.toml");
        // As loaded from a config.toml in the working directory, beside which no .admin_token is written.
        ProxyGateConfiguration cfg = load(Path.of("absent-config.toml"), Map.of());
        cfg.server.adminToken = "admin-secret-2";
        cfg.server.adminTokenSource = "[server] admin_token in " + config;

        AdminTokens.AdminToken token = AdminTokens.resolve(cfg);

        assertThat(token.file()).isEmpty();
        assertThat(token.where()).isEqualTo("from [server] admin_token in " + config);
        assertThat(token.hint()).as("no absolute path on a page served without a token")
                .isEqualTo("grep admin_token config.toml");
        assertThat(token.hintWhere()).isEqualTo("in the config file's folder on the server");
    }

    @Test
    void theConfigLoaderRecordsWhereTheTokenWasSet() throws Exception {
        Path config = dir.resolve("config.toml");
        Files.writeString(config, "[server]\nadmin_token = \"from-file\"\n");
        assertThat(load(config, Map.of()).server.adminTokenSource)
                .isEqualTo("[server] admin_token in " + config.toAbsolutePath());
        assertThat(load(config, Map.of("PROXYGATE_SERVER_ADMIN_TOKEN", "x")).server.adminTokenSource)
                .isEqualTo("PROXYGATE_SERVER_ADMIN_TOKEN");
    }

    @Test
    void aConfigElsewhereGetsTheTokenFileBesideItAndAGeneratedTokenItsDataFile() throws Exception {
        Path config = dir.resolve("etc/config.toml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "[server]\nadmin_token = \"from-file\"\n");
        AdminTokens.AdminToken configured = AdminTokens.resolve(load(config, Map.of()));
        assertThat(configured.file()).contains(dir.resolve("etc/.admin_token"));
        assertThat(configured.where()).isEqualTo("in " + dir.resolve("etc/.admin_token").toAbsolutePath());
        assertThat(Files.readString(dir.resolve("etc/.admin_token")).strip()).isEqualTo("from-file");
        assertThat(configured.hint()).isEqualTo("cat .admin_token");
        assertThat(configured.hintWhere()).isEqualTo("beside the config file on the server");

        AdminTokens.AdminToken generated = AdminTokens.resolve(load(dir.resolve("absent.toml"), Map.of()));
        assertThat(generated.file()).contains(dir.resolve("data/.admin_token"));
        assertThat(generated.hint()).isEqualTo("cat .admin_token");
        assertThat(generated.hintWhere()).isEqualTo("in the data folder ([paths] data_dir) on the server");
        assertThat(Files.exists(generated.file().orElseThrow())).isTrue();
    }
}
