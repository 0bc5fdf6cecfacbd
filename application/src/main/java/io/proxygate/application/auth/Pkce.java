package io.proxygate.application.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * PKCE (RFC 7636, method S256) and OAuth state generation. The random source is injected so tests can be
 * deterministic; production uses {@link SecureRandom}.
 */
public final class Pkce {
    /** A verifier and the challenge derived from it. The verifier is secret until the token exchange. */
    public record Codes(String verifier, String challenge) {
        public Codes {
            Objects.requireNonNull(verifier, "verifier");
            Objects.requireNonNull(challenge, "challenge");
        }

        @Override
        public String toString() {
            return "Pkce.Codes[challenge=" + challenge + "]";
        }
    }

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final RandomGenerator random;

    public Pkce(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public static Pkce secure() {
        return new Pkce(new SecureRandom());
    }

    /** verifier = base64url-nopad of 32 random bytes; challenge = base64url-nopad(SHA-256(verifier)). */
    public Codes newCodes() {
        String verifier = BASE64URL.encodeToString(randomBytes(32));
        return new Codes(verifier, challengeOf(verifier));
    }

    /** state = lower-case hex of 16 random bytes. */
    public String newState() {
        return HexFormat.of().formatHex(randomBytes(16));
    }

    public static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return BASE64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
