package io.proxygate.bootstrap.config;

import io.dropwizard.jersey.validation.Validators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VertexConfigTest {
    private final ConfigLoader loader = new ConfigLoader(Validators.newValidator());

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
}
