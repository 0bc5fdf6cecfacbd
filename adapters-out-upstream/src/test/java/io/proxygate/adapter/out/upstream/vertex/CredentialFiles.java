package io.proxygate.adapter.out.upstream.vertex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Google credential JSON files for tests. The service account's RSA key is generated afresh in each run and lives
 * only in the temporary directory: no private key is ever committed.
 */
final class CredentialFiles {
    private CredentialFiles() {
    }

    static KeyPair throwawayRsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path serviceAccount(Path dir, KeyPair key, String tokenUri) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String json = """
                {
                  "type": "service_account",
                  "project_id": "test-project",
                  "private_key_id": "test-key-id",
                  "private_key": %s,
                  "client_email": "proxygate-test@test-project.iam.gserviceaccount.com",
                  "client_id": "100000000000000000001",
                  "token_uri": "%s"
                }
                """.formatted(quote(pem), tokenUri);
        return Files.writeString(dir.resolve("service-account.json"), json);
    }

    static Path authorizedUser(Path dir, String tokenUri) throws IOException {
        String json = """
                {
                  "type": "authorized_user",
                  "client_id": "fake-client-id.apps.googleusercontent.com",
                  "client_secret": "fake-client-secret",
                  "refresh_token": "fake-refresh-token",
                  "token_uri": "%s"
                }
                """.formatted(tokenUri);
        return Files.writeString(dir.resolve("authorized-user.json"), json);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
