package io.proxygate.adapter.out.upstream.vertex;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Finds Google credentials for Vertex AI, in order: the configured credentials file (service account or
 * authorized-user JSON), Application Default Credentials (Google's own lookup: well-known gcloud file, metadata
 * server), then the gcloud CLI on the PATH. Nothing is hand-signed: Google's library does the token exchanges.
 */
public final class GoogleCredentialDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(GoogleCredentialDiscovery.class);
    static final String NONE_FOUND = "no Google credentials: set [vertex] credentials_file (or "
            + "GOOGLE_APPLICATION_CREDENTIALS), run `gcloud auth application-default login`, or put gcloud on the PATH";

    /** What was found: a token source, or why there is none. */
    public record Result(Optional<GoogleTokenSource> source, Optional<String> problem) {
        static Result found(GoogleTokenSource source) {
            return new Result(Optional.of(source), Optional.empty());
        }

        static Result missing(String problem) {
            return new Result(Optional.empty(), Optional.of(problem));
        }
    }

    /** Looks up the application default credentials; a port so tests never consult the machine's. */
    @FunctionalInterface
    public interface DefaultCredentials {
        GoogleCredentials find() throws IOException;

        DefaultCredentials GOOGLE = GoogleCredentials::getApplicationDefault;
        DefaultCredentials NONE = () -> {
            throw new IOException("application default credentials not consulted");
        };
    }

    private GoogleCredentialDiscovery() {
    }

    /** The production lookup: credentials file, Application Default Credentials, gcloud on the PATH. */
    public static Result discover(Optional<Path> credentialsFile, InstantSource clock) {
        return discover(credentialsFile, DefaultCredentials.GOOGLE, onPath("gcloud"), clock);
    }

    public static Result discover(Optional<Path> credentialsFile, DefaultCredentials adc, Optional<Path> gcloud,
                                  InstantSource clock) {
        if (credentialsFile.isPresent()) {
            return fromFile(credentialsFile.get());
        }
        try {
            GoogleCredentials found = adc.find();
            return Result.found(new LibraryTokenSource(found.createScoped(List.of(
                    GoogleTokenSource.CLOUD_PLATFORM_SCOPE)), "adc"));
        } catch (IOException | RuntimeException e) {
            LOG.debug("no application default credentials: {}", e.getMessage());
        }
        return gcloud.<Result>map(path -> Result.found(new GcloudTokenSource(path, clock)))
                .orElseGet(() -> Result.missing(NONE_FOUND));
    }

    /** A service-account or authorized-user JSON file, read through Google's library. */
    public static Result fromFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            GoogleCredentials credentials = GoogleCredentials.fromStream(in)
                    .createScoped(List.of(GoogleTokenSource.CLOUD_PLATFORM_SCOPE));
            String method = credentials instanceof ServiceAccountCredentials ? "service_account"
                    : credentials instanceof UserCredentials ? "authorized_user" : "adc";
            return Result.found(new LibraryTokenSource(credentials, method));
        } catch (IOException | RuntimeException e) {
            // The library's message names the problem (missing field, unknown type); never the key itself.
            return Result.missing("cannot use credentials file " + file + ": " + e.getMessage());
        }
    }

    /** The first executable {@code name} (or {@code name.cmd} on Windows) on the PATH. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        boolean windows = File.separatorChar == '\\';
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String candidate : windows ? List.of(name + ".cmd", name + ".exe") : List.of(name)) {
                Path p = Path.of(dir, candidate);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
