package io.proxygate.bootstrap.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.eclipse.jetty.http.HttpParser;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingTest {
    @Test
    void masksHeaderValuesInTheFormsHttpClientAndJettyPrint() {
        List<String> lines = List.of(
                "http-outgoing-0 >> Authorization: Bearer canary-one-abcdef",
                "http-outgoing-0 >> \"Authorization: Bearer canary-one-abcdef[\\r][\\n]\"",
                "http-outgoing-0 >> x-api-key: canary-one-abcdef",
                "parsedHeader HttpField@1{X-Api-Key: canary-one-abcdef}",
                "HttpFields[Host: a, authorization=Basic canary-one-abcdef, Accept: */*]",
                "buffer={POST /v1 HTTP/1.1\\r\\nX-ProxyGate-Token: canary-one-abcdef\\r\\n}",
                "Cookie: proxygate_admin=canary-one-abcdef; theme=dark",
                "Set-Cookie: proxygate_admin=canary-one-abcdef; Path=/",
                "X-Admin-Token: canary-one-abcdef",
                "<< {\"access_token\":\"canary-one-abcdef\",\"refresh_token\": \"canary-one-abcdef\"}",
                ">> grant_type=refresh_token&refresh_token=canary-one-abcdef&client_id=x",
                "GET /callback?state=s&code=canary-one-abcdef HTTP/1.1",
                "key sk-ant-oat01-canary-one-abcdef used",
                "parseNext s=START jn.DirectByteBuffer@7[p=0,l=315]={<<<POST /v1...canary-one-abcdef\\r\\n{}>>>x...}",
                "key canary-one-abcdef bearer canary-one-abcdef");
        for (String line : lines) {
            if (line.startsWith("key canary")) {
                assertThat(SecretMasking.mask(line)).as(line).isEqualTo("key canary-one-abcdef bearer ***");
                continue;
            }
            assertThat(SecretMasking.mask(line)).as(line).doesNotContain("canary-one-abcdef").contains("***");
        }
    }

    /**
     * Jetty's own parser, turned to debug, logs each header as {@code headerString=[name], valueString=[value]}: the
     * name is not followed by ':' or '=', so the rule for "name: value" alone let the value through.
     */
    @Test
    void masksTheValuesJettysHttpParserLogsAtDebug() {
        Map<String, String> secrets = Map.of("x-api-key", "PLAINXAPIKEY42", "X-ProxyGate-Token", "PLAINPGTOKEN42",
                "api-key", "PLAINAZUREKEY42", "x-goog-api-key", "PLAINGOOGKEY42", "X-Admin-Token", "PLAINADMIN42",
                "Cookie", "proxygate_admin=PLAINCOOKIE42; theme=dark", "Authorization", "Basic PLAINBASIC42");
        StringBuilder request = new StringBuilder("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n");
        secrets.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("Content-Type: application/json\r\nContent-Length: 0\r\n\r\n");
        Logger logger = (Logger) org.slf4j.LoggerFactory.getLogger(HttpParser.class);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        logger.setLevel(Level.DEBUG);
        try {
            HttpParser.RequestHandler ignoring = (HttpParser.RequestHandler) java.lang.reflect.Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {HttpParser.RequestHandler.class},
                    (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
            new HttpParser(ignoring).parseNext(ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.US_ASCII)));
        } finally {
            logger.setLevel(before);
            logger.detachAppender(captured);
        }
        List<String> lines = captured.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).as("Jetty logged the headers in the form this test is about")
                .anyMatch(l -> l.contains("headerString=[x-api-key], valueString=[PLAINXAPIKEY42]"));
        for (String line : lines) {
            String masked = SecretMasking.mask(line);
            for (String value : List.of("PLAINXAPIKEY42", "PLAINPGTOKEN42", "PLAINAZUREKEY42", "PLAINGOOGKEY42",
                    "PLAINADMIN42", "PLAINCOOKIE42", "PLAINBASIC42")) {
                assertThat(masked).as(line).doesNotContain(value);
            }
        }
        assertThat(SecretMasking.mask("parsedHeader(Content-Type: application/json) header=Content-Type, "
                + "headerString=[Content-Type], valueString=[application/json]")).as("other headers stay readable")
                .endsWith("valueString=[application/json]");
        assertThat(SecretMasking.mask("parsedHeader(null) header=null, headerString=[X-Api-Key], "
                + "valueString=[PLAINXAPIKEY42]")).endsWith("headerString=[X-Api-Key], valueString=[***]");
        assertThat(SecretMasking.mask("headerString=[cookie], valueString=[a=]b; session=PLAINCOOKIE42]"))
                .as("a ']' inside the value does not end it").isEqualTo("headerString=[cookie], valueString=[***]");
    }

    /**
     * Lines are only run through a pattern when they hold one of its literals; the case-insensitive patterns must
     * still catch every spelling of a name, so the literal check cannot let a secret through.
     */
    @Test
    void masksSecretFieldsWhateverTheCaseOfTheirNames() {
        List<String> lines = List.of(
                "AUTHORIZATION: Basic canary-two-abcdef",
                "X-API-KEY=canary-two-abcdef",
                "x-Goog-Api-Key: canary-two-abcdef",
                "COOKIE: a=canary-two-abcdef",
                "{\"Access_Token\" : \"canary-two-abcdef\"}",
                "{\"APIKEY\":\"canary-two-abcdef\"}",
                "{\"Client_Secret\":\"canary-two-abcdef\"}",
                "{\"PassWord\":\"canary-two-abcdef\"}",
                "ID_TOKEN=canary-two-abcdef&x=1",
                "Code_Verifier=canary-two-abcdef",
                "GET /cb?CODE=canary-two-abcdef",
                "BeArEr canary-two-abcdef");
        for (String line : lines) {
            assertThat(SecretMasking.mask(line)).as(line).doesNotContain("canary-two-abcdef").contains("***");
        }
    }

    @Test
    void masksTokenShapesAndKnownSecretsAnywhere() {
        assertThat(SecretMasking.mask("sk-proj-AAAAAAAAAAAA and pgk_secretvalue")).isEqualTo("sk-*** and pgk_***");
        assertThat(SecretMasking.mask("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig end")).isEqualTo("jwt eyJ*** end");
        SecretMasking.addConfiguredSecret("configured-proxy-token-42");
        SecretMasking.setPoolSecrets(List.of("pooled-access-token-77"));
        assertThat(SecretMasking.mask("a configured-proxy-token-42 b pooled-access-token-77 c"))
                .isEqualTo("a *** b *** c");
        SecretMasking.setPoolSecrets(List.of());
        assertThat(SecretMasking.mask("pooled-access-token-77")).isEqualTo("pooled-access-token-77");
    }

    @Test
    void masksAnyOfTensOfThousandsOfPoolSecretsWhereverTheyAppear() {
        List<String> secrets = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            secrets.add("pooled-token-" + i + "-zz");
        }
        secrets.add("pooled-token-7-zz-longer"); // same start as another secret: the longer one is masked whole
        SecretMasking.setPoolSecrets(secrets);
        try {
            assertThat(SecretMasking.mask("x=pooled-token-19999-zz,pooled-token-0-zzpooled-token-5-zz."))
                    .isEqualTo("x=***,******.");
            assertThat(SecretMasking.mask("[pooled-token-7-zz-longer] (pooled-token-7-zz)")).isEqualTo("[***] (***)");
            assertThat(SecretMasking.mask("pooled-token-20000-zz is not one")).isEqualTo("pooled-token-20000-zz is not one");
        } finally {
            SecretMasking.setPoolSecrets(List.of());
        }
    }

    @Test
    void leavesOrdinaryLinesAloneAndTheFingerprintReadable() {
        String line = "request id=1 route=/v1/responses credential=openai-1 status=200 in=5 out=7 ms=12"
                + " sha256:1a2b3c4d authorization failed";
        assertThat(SecretMasking.mask(line)).isEqualTo(line);
    }

    @Test
    void masksHugeAndPathologicalLinesInLinearTime() {
        List<String> lines = List.of("Authorization: ".repeat(50_000), "sk-".repeat(100_000),
                "eyJaaaaaaaaa.".repeat(50_000), "bearer ".repeat(100_000), "\"token\":\"".repeat(50_000),
                "x".repeat(1_000_000));
        for (String line : lines) {
            long start = System.nanoTime();
            SecretMasking.mask(line);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        }
    }
}
