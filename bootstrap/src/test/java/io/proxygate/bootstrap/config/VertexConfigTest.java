package io.proxygate.bootstrap.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VertexConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @TempDir
    Path dir;

    @Test
    void baseUrlComesFromTomlOrItsEnvironmentVariable() throws IOException {
        Path file = Files.writeString(dir.resolve("config.toml"), """
                [vertex]
                project_id = "p"
                location = "us-east5"
                base_url = "http://127.0.0.1:9/vertex/"
                """);
        assertThat(loader.load(file, Map.of()).vertex.baseUrl).isEqualTo("http://127.0.0.1:9/vertex");
        assertThat(loader.load(file, Map.of("PROXYGATE_VERTEX_BASE_URL", "https://vertex.example.test"))
                .vertex.baseUrl).isEqualTo("https://vertex.example.test");
        assertThat(loader.load(dir.resolve("absent.toml"), Map.of()).vertex.baseUrl).isEmpty();
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRejectedNamingTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("config.toml"), "[vertex]\nbase_url = \"ftp://x\"\n");
        assertThatThrownBy(() -> loader.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[vertex] base_url");
    }

    /** Writes a gcloud configuration folder the way gcloud does: active_config plus configurations/config_NAME. */
    private Path gcloudFolder(Path folder, String active, String name, String ini) throws IOException {
        Files.createDirectories(folder.resolve("configurations"));
        if (active != null) {
            Files.writeString(folder.resolve("active_config"), active);
        }
        Files.writeString(folder.resolve("configurations").resolve("config_" + name), ini);
        return folder;
    }

    @Test
    void projectAndRegionComeFromGcloudsActiveConfigurationWhenNothingElseSetsThem() throws IOException {
        Path gcloud = gcloudFolder(dir.resolve("gcloud"), "work", "work", """
                [core]
                account = someone@example.com
                project = proj-from-gcloud

                [compute]
                region = us-east5
                """);
        gcloudFolder(gcloud, null, "default", "[core]\nproject = not-the-active-one\n");
        ProxyGateConfiguration c = loader.load(dir.resolve("absent.toml"), Map.of("CLOUDSDK_CONFIG", gcloud.toString()));
        assertThat(c.vertex.projectId).isEqualTo("proj-from-gcloud");
        assertThat(c.vertex.location).isEqualTo("us-east5");
    }

    @Test
    void theEnvironmentChainAndTheFileComeBeforeGcloud() throws IOException {
        Path gcloud = gcloudFolder(dir.resolve("gcloud"), "default", "default",
                "[core]\nproject = gcloud-proj\n[compute]\nregion = us-central1\n");
        ProxyGateConfiguration fromEnv = loader.load(dir.resolve("absent.toml"), Map.of(
                "CLOUDSDK_CONFIG", gcloud.toString(), "GOOGLE_CLOUD_PROJECT", "env-proj"));
        assertThat(fromEnv.vertex.projectId).isEqualTo("env-proj");
        assertThat(fromEnv.vertex.location).isEqualTo("us-central1");

        Path toml = Files.writeString(dir.resolve("config.toml"), "[vertex]\nlocation = \"europe-west1\"\n");
        ProxyGateConfiguration fromFile = loader.load(toml, Map.of("CLOUDSDK_CONFIG", gcloud.toString()));
        assertThat(fromFile.vertex.projectId).isEqualTo("gcloud-proj");
        assertThat(fromFile.vertex.location).isEqualTo("europe-west1");
    }

    @Test
    void theDefaultFolderIsUnderHomeAndTheDefaultConfigurationIsDefault() throws IOException {
        Path home = dir.resolve("home");
        gcloudFolder(home.resolve(".config/gcloud"), null, "default", """
                ; written by gcloud
                [ai]
                region = us-east5
                [compute]
                region = us-central1
                [core]
                project: colon-proj
                """);
        ProxyGateConfiguration c = loader.load(dir.resolve("absent.toml"), Map.of("HOME", home.toString()));
        assertThat(c.vertex.projectId).isEqualTo("colon-proj");
        assertThat(c.vertex.location).as("[ai] region before [compute] region").isEqualTo("us-east5");
    }

    @Test
    void gcloudsOwnEnvironmentOverridesWin() throws IOException {
        Path gcloud = gcloudFolder(dir.resolve("gcloud"), "work", "work", "[core]\nproject = work-proj\n");
        gcloudFolder(gcloud, null, "other", "[core]\nproject = other-proj\n[compute]\nregion = asia-east1\n");
        ProxyGateConfiguration named = loader.load(dir.resolve("absent.toml"), Map.of(
                "CLOUDSDK_CONFIG", gcloud.toString(), "CLOUDSDK_ACTIVE_CONFIG_NAME", "other"));
        assertThat(named.vertex.projectId).isEqualTo("other-proj");
        assertThat(named.vertex.location).isEqualTo("asia-east1");

        ProxyGateConfiguration overridden = loader.load(dir.resolve("absent.toml"), Map.of(
                "CLOUDSDK_CONFIG", gcloud.toString(), "CLOUDSDK_CORE_PROJECT", "core-env-proj",
                "CLOUDSDK_COMPUTE_REGION", "us-west1"));
        assertThat(overridden.vertex.projectId).isEqualTo("core-env-proj");
        assertThat(overridden.vertex.location).isEqualTo("us-west1");
    }

    @Test
    void noGcloudFolderOrAnUnreadableOneLeavesVertexUnconfigured() throws IOException {
        ProxyGateConfiguration none = loader.load(dir.resolve("absent.toml"), Map.of());
        assertThat(none.vertex.projectId).isEmpty();
        assertThat(none.vertex.location).isEmpty();

        assertThat(loader.load(dir.resolve("absent.toml"), Map.of("HOME", dir.resolve("nobody").toString()))
                .vertex.projectId).isEmpty();

        Path gcloud = dir.resolve("odd");
        Files.createDirectories(gcloud.resolve("configurations/config_default"));
        Files.writeString(gcloud.resolve("active_config"), "../../etc/passwd");
        assertThat(loader.load(dir.resolve("absent.toml"), Map.of("CLOUDSDK_CONFIG", gcloud.toString()))
                .vertex.projectId).isEmpty();
        Files.writeString(gcloud.resolve("active_config"), "default");
        assertThat(loader.load(dir.resolve("absent.toml"), Map.of("CLOUDSDK_CONFIG", gcloud.toString()))
                .vertex.projectId).as("config_default is a folder here").isEmpty();
    }
}
