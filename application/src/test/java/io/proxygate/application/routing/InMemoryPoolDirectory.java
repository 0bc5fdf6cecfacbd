package io.proxygate.application.routing;

import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A pool directory held in memory: paths mimic the real layout, nothing touches the disk. */
public final class InMemoryPoolDirectory implements PoolDirectoryPort {
    private final Map<String, Credential> files = new ConcurrentHashMap<>();
    private final Map<String, io.proxygate.domain.credential.CredentialControls> controls = new ConcurrentHashMap<>();

    /** Sets the controls the credential's file carries (call {@code pool.reload()} after). */
    public void control(Credential credential, io.proxygate.domain.credential.CredentialControls c) {
        files.forEach((path, held) -> {
            if (held.id().equals(credential.id())) {
                controls.put(path, c);
            }
        });
    }

    @Override
    public List<PoolFile> scan() {
        List<PoolFile> out = new ArrayList<>();
        files.forEach((path, credential) -> out.add(PoolFile.loaded(path, credential,
                controls.getOrDefault(path, io.proxygate.domain.credential.CredentialControls.NONE))));
        return out;
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        return () -> {
        };
    }

    @Override
    public void update(String path, Credential updated) {
        files.put(path, updated);
    }

    @Override
    public String add(Credential credential) {
        String folder = switch (credential) {
            case ChatGptAccount a -> "chatgpt";
            case ClaudeAccount a -> "claude";
            case ApiKey k -> "apikeys";
        };
        String path = "pool/" + folder + "/" + credential.label() + ".json";
        files.put(path, credential);
        return path;
    }

    @Override
    public void delete(String path) {
        files.remove(path);
    }
}
