package io.proxygate.application.testing;

import io.proxygate.application.port.out.PoolDirectoryPort;
import io.proxygate.application.port.out.PoolFile;
import io.proxygate.domain.credential.ApiKey;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;
import io.proxygate.domain.credential.CredentialControls;
import io.proxygate.domain.credential.FileNames;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pool directory held in memory: paths follow the real layout ({@code chatgpt/}, {@code claude/},
 * {@code apikeys/}), nothing touches the disk, and a scan lists the files in the order they were added.
 */
public final class InMemoryPoolDirectory implements PoolDirectoryPort {
    /** The credential files by path. */
    public final Map<String, Credential> files = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Files a scan reports besides the credentials: unreadable or invalid ones. */
    public final List<PoolFile> problems = new CopyOnWriteArrayList<>();
    /** Every write, as "add|update|delete path", in order. */
    public final List<String> writes = new CopyOnWriteArrayList<>();
    private final Map<String, CredentialControls> controls = new ConcurrentHashMap<>();

    /** Places a credential at a path of the test's choosing, as if the file were there already. */
    public void put(String path, Credential credential) {
        files.put(path, credential);
    }

    /** Sets the controls the credential's file carries (the pool sees them at its next reload). */
    public void control(Credential credential, CredentialControls c) {
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
                controls.getOrDefault(path, CredentialControls.NONE))));
        out.addAll(problems);
        return out;
    }

    @Override
    public AutoCloseable watch(Runnable onChange) {
        return () -> {
        };
    }

    @Override
    public void update(String path, Credential updated) {
        writes.add("update " + path);
        files.put(path, updated);
    }

    @Override
    public String add(Credential credential) {
        String folder = switch (credential) {
            case ChatGptAccount a -> "chatgpt/";
            case ClaudeAccount a -> "claude/";
            case ApiKey k -> "apikeys/";
        };
        String path = folder + FileNames.sanitize(credential.label()) + ".json";
        writes.add("add " + path);
        files.put(path, credential);
        return path;
    }

    @Override
    public void delete(String path) {
        writes.add("delete " + path);
        files.remove(path);
    }
}
