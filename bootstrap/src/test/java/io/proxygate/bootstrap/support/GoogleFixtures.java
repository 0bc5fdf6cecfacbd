package io.proxygate.bootstrap.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A Google service-account file whose RSA key is generated per run (never committed) and whose token_uri is a mock. */
public final class GoogleFixtures {
    private GoogleFixtures() {
    }

    public static Path serviceAccount(Path dir, String tokenUri) throws IOException {
        KeyPairGenerator generator;
        try {
            generator = KeyPairGenerator.getInstance("RSA");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("vertex-service-account.json"), """
                {"type":"service_account","project_id":"test-project","private_key_id":"test-key-id",
                 "private_key":"%s","client_email":"proxygate-test@test-project.iam.gserviceaccount.com",
                 "client_id":"100000000000000000001","token_uri":"%s"}
                """.formatted(pem, tokenUri));
    }
}
