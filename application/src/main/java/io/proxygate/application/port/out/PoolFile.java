package io.proxygate.application.port.out;

import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialControls;

import java.util.Optional;

/**
 * One {@code *.json} file in the pool directory: the credential it holds, or why it cannot be used.
 *
 * @param path       the file's path
 * @param credential the parsed credential (absent when {@code problem} is set)
 * @param problem    why the file was skipped (bad JSON, missing field, unknown type, ...)
 * @param controls   the operator's per-credential controls read from the same file (proxy, caps, model rules)
 */
public record PoolFile(String path, Optional<Credential> credential, Optional<String> problem,
                       CredentialControls controls) {
    public PoolFile(String path, Optional<Credential> credential, Optional<String> problem) {
        this(path, credential, problem, CredentialControls.NONE);
    }

    public PoolFile {
        controls = controls == null ? CredentialControls.NONE : controls;
        credential = credential == null ? Optional.empty() : credential;
        problem = problem == null ? Optional.empty() : problem;
        if (credential.isPresent() == problem.isPresent()) {
            throw new IllegalArgumentException("a pool file has either a credential or a problem");
        }
    }

    public static PoolFile loaded(String path, Credential credential) {
        return new PoolFile(path, Optional.of(credential), Optional.empty());
    }

    public static PoolFile loaded(String path, Credential credential, CredentialControls controls) {
        return new PoolFile(path, Optional.of(credential), Optional.empty(), controls);
    }

    public static PoolFile broken(String path, String problem) {
        return new PoolFile(path, Optional.empty(), Optional.of(problem));
    }
}
