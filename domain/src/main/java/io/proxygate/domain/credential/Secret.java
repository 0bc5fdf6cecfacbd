package io.proxygate.domain.credential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** A token or API key. Never prints itself: {@link #toString()} and {@link #fingerprint()} are safe for logs and UIs. */
public final class Secret {
    private final String value;
    /** Computed on first use (a digest per call showed in request profiles); a race computes the same string twice. */
    private String fingerprint;

    public Secret(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("secret must not be blank");
        }
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The raw secret, for the one place that sends it upstream or writes it to its file. */
    public String reveal() {
        return value;
    }

    /** A short, stable, non-reversible label such as {@code sha256:1a2b3c4d}. */
    public String fingerprint() {
        String known = fingerprint;
        if (known != null) {
            return known;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            known = "sha256:" + HexFormat.of().formatHex(digest, 0, 4);
            fingerprint = known;
            return known;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison against a candidate presented by a client. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return "Secret[" + fingerprint() + "]";
    }
}
