package io.proxygate.bootstrap.cli;

import com.sun.net.httpserver.HttpServer;
import io.proxygate.testsupport.FakeJwt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code add-account --no-browser}: the browser coming back to the local callback port, the redirect URL pasted at
 * the terminal, or {@code add-account --code=<pasted redirect URL>} later, against a mock issuer that checks the PKCE
 * verifier against the challenge of the URL the first command printed.
 */
class LoginCliTest {
    @TempDir
    Path root;

    private HttpServer issuer;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile String expectedChallenge;
    private String out;
    private String err;

    @BeforeEach
    void startIssuer() throws Exception {
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.createContext("/oauth/token", exchange -> {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!"authorization_code".equals(form.get("grant_type"))) {
                problems.add("grant_type " + form.get("grant_type"));
            }
            if (!challenge(form.getOrDefault("code_verifier", "")).equals(expectedChallenge)) {
                problems.add("PKCE verifier does not match the printed challenge");
            }
            if (!"app_EMoamEEZ73f0CkXaXp7hrann".equals(form.get("client_id"))) {
                problems.add("client_id " + form.get("client_id"));
            }
            String body = problems.isEmpty()
                    ? "{\"access_token\":\"" + jwt() + "\",\"refresh_token\":\"fake-refresh-cli\",\"id_token\":\""
                    + jwt() + "\",\"expires_in\":3600}"
                    : "{\"error\":\"invalid_grant\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(problems.isEmpty() ? 200 : 400, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        issuer.start();
    }

    @AfterEach
    void stopIssuer() {
        issuer.stop(0);
    }

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = ProxyGateCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), env());
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return status;
    }

    private Map<String, String> env() {
        return Map.of("PROXYGATE_DATA_DIR", root.resolve("data").toString(),
                "PROXYGATE_POOL_DIR", root.resolve("pool").toString(),
                "PROXYGATE_OAUTH_OPENAI_ISSUER", "http://127.0.0.1:" + issuer.getAddress().getPort());
    }

    /** A command running on its own thread, with its output readable while it runs. */
    private final class Running {
        final ByteArrayOutputStream o = new ByteArrayOutputStream();
        final ByteArrayOutputStream e = new ByteArrayOutputStream();
        final CompletableFuture<Integer> status;

        Running(InputStream in, boolean terminal, String... args) {
            CliContext context = new CliContext(new PrintStream(o, true, StandardCharsets.UTF_8),
                    new PrintStream(e, true, StandardCharsets.UTF_8), env(), in, terminal);
            status = CompletableFuture.supplyAsync(() -> ProxyGateCli.run(args, context),
                    r -> Thread.ofVirtual().start(r));
        }

        /** The authorize URL's query, once the command printed it. */
        Map<String, String> authorizeQuery() {
            await().atMost(Duration.ofSeconds(30)).until(() -> o.toString(StandardCharsets.UTF_8).contains("\n"));
            return form(URI.create(o.toString(StandardCharsets.UTF_8).strip()).getRawQuery());
        }

        int exitStatus() throws Exception {
            int code = status.get(60, TimeUnit.SECONDS);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
            return code;
        }
    }

    @Test
    void loginCommandsWithoutFlagsFailAtOnceInAScriptWhereNoBrowserOpens() throws Exception {
        // No terminal, and an environment without DISPLAY or PATH: no browser opener can be found.
        for (String[] command : new String[][]{{"add-claude-account"}, {"add-account"}}) {
            Running login = new Running(InputStream.nullInputStream(), false, command);

            assertThat(login.exitStatus()).as(String.join(" ", command)).isEqualTo(1);
            assertThat(err.strip()).doesNotContain("\n").startsWith("error: no browser to open and no terminal "
                    + "attached; usage: " + command[0] + " ");
            assertThat(out).isEmpty();
        }
        assertThat(err).contains("add-account [--no-browser] | --code=URL_OR_CODE | --device");
    }

    @Test
    void noBrowserFinishesWhenTheBrowserComesBackToTheLocalPort() throws Exception {
        Running login = new Running(InputStream.nullInputStream(), false, "add-account", "--no-browser");
        Map<String, String> query = login.authorizeQuery();
        expectedChallenge = query.get("code_challenge");
        assertThat(query.get("redirect_uri")).startsWith("http://localhost:");

        // What the browser does through a forwarded port: follow the redirect to this machine's listener.
        HttpResponse<String> callback = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                query.get("redirect_uri").replace("localhost", "127.0.0.1") + "?code=fake-code-1234567890&state="
                        + query.get("state"))).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(callback.statusCode()).isEqualTo(200);
        assertThat(login.exitStatus()).as(err).isZero();
        assertThat(problems).isEmpty();
        assertThat(out).contains("added: cli@example.com");
        assertThat(err).contains("waits 5 min").contains("[auth] saved: ");
        assertThat(root.resolve("pool/chatgpt/cli_example.com.json")).exists();
        assertThat(run("add-account", "--code=fake-code-1234567890")).as("the pending login was used up").isEqualTo(1);
        assertThat(err).contains("no pending ChatGPT OAuth login");
    }

    @Test
    void noBrowserTakesTheRedirectUrlPastedAtTheTerminal() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        Running login = new Running(new PipedInputStream(typing), true, "add-account", "--no-browser");
        Map<String, String> query = login.authorizeQuery();
        expectedChallenge = query.get("code_challenge");

        typing.write("not a url\n".getBytes(StandardCharsets.UTF_8));
        typing.write((query.get("redirect_uri") + "?code=fake-code-1234567890&state=" + query.get("state") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        typing.flush();

        assertThat(login.exitStatus()).as(err).isZero();
        assertThat(problems).isEmpty();
        assertThat(out).contains("added: cli@example.com");
        assertThat(err).contains("paste the whole address");
        assertThat(root.resolve("pool/chatgpt/cli_example.com.json")).exists();
    }

    @Test
    void pipedInputIsNotReadWithoutATerminalAndTheLoginStaysPendingForCode() throws Exception {
        Running login = new Running(new java.io.ByteArrayInputStream("garbage\n".getBytes(StandardCharsets.UTF_8)),
                false, "add-account", "--no-browser", "--wait=2s");
        Map<String, String> query = login.authorizeQuery();
        expectedChallenge = query.get("code_challenge");

        assertThat(login.exitStatus()).isEqualTo(1);
        assertThat(err).contains("no ChatGPT OAuth callback within").contains("stays pending")
                .doesNotContain("paste the whole address");

        String redirect = query.get("redirect_uri") + "?code=fake-code-1234567890&state=" + query.get("state");
        assertThat(run("add-account", "--code=" + redirect)).as(err).isZero();
        assertThat(problems).as("--code used the verifier of the URL that was printed").isEmpty();
        assertThat(out.strip()).isEqualTo("added: cli@example.com");
    }

    @Test
    void noBrowserThenPastedRedirectUrlWritesARoutableAccount() throws Exception {
        assertThat(run("add-account", "--no-browser", "--wait=0")).isZero();
        URI authorize = URI.create(out.strip());
        Map<String, String> query = form(authorize.getRawQuery());
        assertThat(query).containsEntry("client_id", "app_EMoamEEZ73f0CkXaXp7hrann")
                .containsEntry("code_challenge_method", "S256").containsEntry("prompt", "login")
                .containsKey("state");
        expectedChallenge = query.get("code_challenge");
        String redirect = query.get("redirect_uri") + "?code=fake-code-1234567890&state=" + query.get("state");

        assertThat(run("add-account", "--code=" + redirect)).as(err).isZero();
        assertThat(problems).isEmpty();
        assertThat(out.strip()).isEqualTo("added: cli@example.com");
        assertThat(err).contains("[auth] saved: ").contains("account_id=acct-cli").contains("plan=pro");
        Path file = root.resolve("pool/chatgpt/cli_example.com.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("\"account_id\"").contains("acct-cli").contains("fake-refresh-cli");

        assertThat(run("list", "--long")).isZero();
        assertThat(out).contains("cli@example.com").contains("pro");
    }

    @Test
    void aRedirectWithAnotherStateIsRefusedAndWritesNothing() throws Exception {
        assertThat(run("add-account", "--no-browser", "--wait=0")).isZero();
        Map<String, String> query = form(URI.create(out.strip()).getRawQuery());
        assertThat(run("add-account", "--code=" + query.get("redirect_uri") + "?code=fake-code-1234567890&state=other"))
                .isEqualTo(1);
        assertThat(err.strip()).isEqualTo("error: OAuth state mismatch");
        assertThat(root.resolve("pool/chatgpt/cli_example.com.json")).doesNotExist();
    }

    @Test
    void abortPendingClearsTheLogin() {
        assertThat(run("add-account", "--no-browser", "--wait=0")).isZero();
        assertThat(run("add-account", "--abort-pending")).isZero();
        assertThat(out.strip()).isEqualTo("pending ChatGPT OAuth cleared");
        assertThat(run("add-account", "--code=fake-code-1234567890")).isEqualTo(1);
        assertThat(err).contains("no pending ChatGPT OAuth login");
    }

    private static String jwt() {
        return FakeJwt.withPayload("{\"email\":\"cli@example.com\",\"exp\":4102444800,\"https://api.openai.com/auth\":"
                + "{\"chatgpt_account_id\":\"acct-cli\",\"chatgpt_plan_type\":\"pro\"}}");
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String text) {
        Map<String, String> map = new HashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }
}
