package io.proxygate.bootstrap.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The project and region that {@code gcloud config get-value} would print, read from gcloud's files rather than by
 * running gcloud (no subprocess at start-up, no dependence on gcloud being on {@code PATH}):
 * <ul>
 *   <li>the configuration folder: {@code $CLOUDSDK_CONFIG}, else {@code %APPDATA%\gcloud} on Windows, else
 *       {@code $HOME/.config/gcloud};</li>
 *   <li>the active configuration: {@code $CLOUDSDK_ACTIVE_CONFIG_NAME}, else the folder's {@code active_config}
 *       file, else {@code default}; its properties are the INI file {@code configurations/config_<name>};</li>
 *   <li>project: {@code $CLOUDSDK_CORE_PROJECT}, else {@code [core] project}; region: {@code $CLOUDSDK_AI_REGION},
 *       {@code [ai] region}, {@code $CLOUDSDK_COMPUTE_REGION}, {@code [compute] region}, first set.</li>
 * </ul>
 * Everything is read from the given environment map, so a caller that passes no {@code HOME} and no
 * {@code CLOUDSDK_CONFIG} (tests) reads nothing. Missing or unreadable files mean "not set".
 */
public final class GcloudConfig {
    private final Map<String, Map<String, String>> sections;
    private final Map<String, String> env;

    private GcloudConfig(Map<String, Map<String, String>> sections, Map<String, String> env) {
        this.sections = sections;
        this.env = env;
    }

    /** The active configuration's properties, as far as they can be read. */
    public static GcloudConfig read(Map<String, String> env) {
        Optional<Path> dir = folder(env);
        if (dir.isEmpty()) {
            return new GcloudConfig(Map.of(), env);
        }
        String name = nonBlank(env.get("CLOUDSDK_ACTIVE_CONFIG_NAME"))
                .or(() -> readFirstLine(dir.get().resolve("active_config")))
                .orElse("default");
        if (name.contains("/") || name.contains("\\") || name.contains("..")) {
            return new GcloudConfig(Map.of(), env);
        }
        Path file = dir.get().resolve("configurations").resolve("config_" + name);
        return new GcloudConfig(parseIni(file), env);
    }

    public Optional<String> project() {
        return nonBlank(env.get("CLOUDSDK_CORE_PROJECT")).or(() -> property("core", "project"));
    }

    public Optional<String> region() {
        return nonBlank(env.get("CLOUDSDK_AI_REGION"))
                .or(() -> property("ai", "region"))
                .or(() -> nonBlank(env.get("CLOUDSDK_COMPUTE_REGION")))
                .or(() -> property("compute", "region"));
    }

    private Optional<String> property(String section, String key) {
        return nonBlank(sections.getOrDefault(section, Map.of()).get(key));
    }

    private static Optional<Path> folder(Map<String, String> env) {
        Optional<String> explicit = nonBlank(env.get("CLOUDSDK_CONFIG"));
        if (explicit.isPresent()) {
            return explicit.map(Path::of);
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        if (windows) {
            return nonBlank(env.get("APPDATA")).map(a -> Path.of(a, "gcloud"));
        }
        return nonBlank(env.get("HOME")).map(h -> Path.of(h, ".config", "gcloud"));
    }

    private static Optional<String> readFirstLine(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst()
                    .flatMap(GcloudConfig::nonBlank);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** gcloud writes Python ConfigParser files: {@code [section]}, {@code key = value}, comments with # or ;. */
    static Map<String, Map<String, String>> parseIni(Path file) {
        Map<String, Map<String, String>> sections = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return sections;
        }
        try {
            String section = "";
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1).strip().toLowerCase(Locale.ROOT);
                    continue;
                }
                int eq = line.indexOf('=');
                int colon = line.indexOf(':');
                int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
                if (sep > 0) {
                    String key = line.substring(0, sep).strip().toLowerCase(Locale.ROOT);
                    sections.computeIfAbsent(section, s -> new HashMap<>()).put(key, line.substring(sep + 1).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return sections;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
