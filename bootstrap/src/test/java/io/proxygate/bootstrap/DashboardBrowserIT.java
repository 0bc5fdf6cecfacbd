package io.proxygate.bootstrap;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.proxygate.bootstrap.config.ProxyGateConfiguration;
import io.proxygate.testsupport.UpstreamReplies;
import io.proxygate.testsupport.MockUpstream;
import io.proxygate.bootstrap.support.PoolFiles;
import io.proxygate.bootstrap.support.ProxyGateRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real headless Chromium against the real application (port 0, temp pool, mock upstream):
 * sign in, see the pool, disable an account (its file changes, its badge updates), add an API key, and watch a
 * proxied request run and finish in the Live tab without reloading. Screenshots go to {@code target/screenshots/}.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class DashboardBrowserIT {
    private static final String ADMIN_TOKEN = "admin-token-browser-test";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final MockUpstream UPSTREAM = upstream();
    private static final Path ROOT;
    private static final DropwizardAppExtension<ProxyGateConfiguration> APP;

    static {
        ROOT = PoolFiles.tempRoot("proxygate-dashboard", pool -> {
            PoolFiles.alphaAndBeta(pool);
            PoolFiles.claude(pool, "claude@x.com");
            PoolFiles.key(pool, "openai-1", "openai", "sk-test-openai-key");
            Files.writeString(pool.resolve("chatgpt").resolve("broken.json"), "{not json");
        });
        APP = ProxyGateRunner.extension(ProxyGateRunner.config(ROOT, ProxyGateRunner.upstreamsAt(UPSTREAM.url(),
                Map.of("PROXYGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                        "PROXYGATE_UPSTREAM_ANTHROPIC_API_BASE_URL", UPSTREAM.url()))));
    }

    private static WebDriver driver;
    private static WebDriverWait wait;

    private static MockUpstream upstream() {
        MockUpstream mock = MockUpstream.started();
        mock.on("GET", "/wham/usage", (r, ex) -> MockUpstream.json(ex, 200, """
                {"plan_type":"pro","rate_limit":{"limit_reached":false,
                 "primary_window":{"used_percent":42.5,"limit_window_seconds":18000,"reset_after_seconds":900},
                 "secondary_window":{"used_percent":18.0,"limit_window_seconds":604800,"reset_after_seconds":86400}}}"""));
        mock.on("GET", "/api/oauth/usage", (r, ex) -> MockUpstream.json(ex, 200, """
                {"five_hour":{"utilization":63.0,"resets_at":"2099-01-01T00:00:00Z"},
                 "seven_day":{"utilization":12.0,"resets_at":"2099-01-02T00:00:00Z"}}"""));
        // Holds the reply until the test has seen the request running.
        mock.on("POST", "/backend-api/codex/responses", (r, ex) -> {
            try {
                RELEASE.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            UpstreamReplies.responsesStream(ex, "resp_live", "LIVE_PASS");
        });
        return mock;
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "dashboard browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium, "
                        + "/usr/bin/chromedriver); install them with: apt-get install -y chromium chromium-driver");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800",
                "--user-data-dir=" + Files.createTempDirectory("proxygate-chromium").toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 800));
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        // Tables re-render on every live update, so an element found a moment ago may already be replaced.
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        if (driver != null) {
            driver.quit();
        }
        UPSTREAM.close();
    }

    @Test
    void anAdminManagesThePoolAndWatchesRequestsLive() throws Exception {
        driver.get(url("/"));
        WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token")));
        assertThat(driver.findElement(By.id("login-hint")).getText())
                .as("the token is set by the environment, in no file").isEqualTo("echo $PROXYGATE_ADMIN_TOKEN");
        // The page is served without a token, so it shows no absolute path.
        assertThat(driver.getPageSource()).doesNotContain(ROOT.toAbsolutePath().toString());
        screenshot("01-login");

        token.sendKeys(ADMIN_TOKEN);
        click(By.cssSelector("#login-form button[type=submit]"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#t-openai tr[data-id='alpha@x.com']")));
        assertThat(driver.findElement(By.id("s-accounts")).getText()).isEqualTo("2 · 2 healthy");
        // The usage poll fills the windows shortly after start.
        wait.until(d -> d.findElement(By.cssSelector("#t-openai tr[data-id='alpha@x.com']")).getText()
                .contains("42.5%") || reloadAndFalse(d));
        screenshot("02-accounts");

        // A cooling account offers "Clear cooldown"; clicking it puts the account back at once.
        io.proxygate.application.routing.RoutingService router =
                ((ProxyGateApplication) APP.getApplication()).wiring().router();
        io.proxygate.domain.credential.CredentialId beta = io.proxygate.domain.credential.CredentialId.chatgpt(
                "beta@x.com");
        router.onFailure(beta, new io.proxygate.application.routing.AttemptFailure.RateLimited(
                java.time.Duration.ofMinutes(20)));
        wait.until(d -> !d.findElements(By.cssSelector("button[aria-label='Clear cooldown of beta@x.com']")).isEmpty()
                || reloadAndFalse(d));
        click(By.cssSelector("button[aria-label='Clear cooldown of beta@x.com']"));
        wait.until(d -> d.findElements(By.cssSelector("button[aria-label='Clear cooldown of beta@x.com']")).isEmpty());
        assertThat(router.statuses().stream().filter(st -> st.id().equals(beta)).findFirst().orElseThrow()
                .cooldownUntil()).isEmpty();

        // Disable alpha: the file says so, and the badge shows it.
        click(By.cssSelector("button[aria-label='Disable alpha@x.com']"));
        wait.until(d -> row(d, "#t-openai", "alpha@x.com").getText().contains("disabled"));
        String file = Files.readString(ROOT.resolve("pool/chatgpt/alpha_x.com.json"));
        assertThat(file).containsPattern("\"disabled\"\\s*:\\s*true");
        assertThat(driver.findElement(By.cssSelector("button[aria-label='Enable alpha@x.com']")).isDisplayed())
                .isTrue();

        // Add an API key through the dialog: a 0600 file appears and the key is listed.
        click(By.id("tab-keys"));
        click(By.id("add-key"));
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dlg")));
        List<WebElement> inputs = dialog.findElements(By.cssSelector("#dlg-body input"));
        inputs.get(0).sendKeys("openai-9");
        inputs.get(1).sendKeys("Browser key");
        new Select(dialog.findElement(By.cssSelector("#dlg-body select"))).selectByValue("openai");
        inputs.get(2).sendKeys("sk-test-browser-key-9");
        screenshot("03-add-key");
        click(By.id("dlg-ok"));
        wait.until(d -> !d.findElements(By.cssSelector("#t-keys tr[data-id='openai-9']")).isEmpty());
        Path keyFile = ROOT.resolve("pool/apikeys/openai-9.json");
        assertThat(keyFile).exists();
        assertThat(Files.getPosixFilePermissions(keyFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(driver.getPageSource()).doesNotContain("sk-test-browser-key-9");
        screenshot("04-keys");

        // Deleting moves the file aside; Health lists it, and its Restore button brings the key back.
        click(By.cssSelector("button[aria-label='Delete openai-9']"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("dlg-ok"))).click();
        wait.until(d -> d.findElements(By.cssSelector("#t-keys tr[data-id='openai-9']")).isEmpty());
        assertThat(keyFile).doesNotExist();
        click(By.id("tab-health"));
        wait.until(d -> d.findElement(By.id("health-deleted")).getText().contains("openai-9"));
        click(By.cssSelector("button[aria-label='Restore openai-9']"));
        wait.until(d -> Files.exists(keyFile));
        click(By.id("tab-keys"));
        wait.until(d -> !d.findElements(By.cssSelector("#t-keys tr[data-id='openai-9']")).isEmpty());

        // A proxied request shows up running, then finished, without a reload.
        click(By.id("tab-live"));
        wait.until(d -> d.findElement(By.id("live-dot")).getAttribute("class").contains("on"));
        CompletableFuture<HttpResponse<String>> request = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create(url("/v1/responses"))).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"gpt-5\",\"stream\":true,\"input\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
        wait.until(d -> d.findElement(By.cssSelector("#t-running tbody")).getText().contains("gpt-5"));
        screenshot("05-live-running");
        RELEASE.countDown();
        assertThat(request.get(20, TimeUnit.SECONDS).body()).contains("LIVE_PASS");
        wait.until(d -> d.findElement(By.cssSelector("#t-finished tbody")).getText().contains("chatgpt:beta@x.com"));
        assertThat(driver.findElement(By.cssSelector("#t-running tbody")).getText()).doesNotContain("gpt-5");
        screenshot("06-live-finished");

        // The other views render.
        click(By.id("tab-usage"));
        wait.until(d -> !d.findElements(By.cssSelector("#ch-requests .uplot")).isEmpty());
        wait.until(d -> d.findElement(By.cssSelector("#t-stats tbody")).getText().contains("beta@x.com"));
        screenshot("07-usage");
        click(By.id("tab-routing"));
        driver.findElement(By.id("r-model")).sendKeys("gpt-5");
        click(By.cssSelector("#routing-form button[type=submit]"));
        wait.until(d -> d.findElement(By.id("routing-summary")).getText().contains("beta@x.com"));
        assertThat(driver.findElement(By.cssSelector("#t-routing tbody")).getText()).contains("alpha@x.com")
                .contains("disabled");
        screenshot("08-routing");
        click(By.id("tab-health"));
        wait.until(d -> d.findElement(By.id("health-problems")).getText().contains("broken.json"));
        screenshot("09-health");
        click(By.id("tab-claude"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#t-claude tr[data-id='claude@x.com']")));
        // The fallback view has replaced the page's placeholder with its own state.
        assertThat(driver.findElement(By.id("fallback-body")).getText()).isNotBlank()
                .doesNotContain("appear here when the server offers them");
        screenshot("10-claude");
        // A fallback rule added in the view is saved, and a reload draws it from the server.
        click(By.xpath("//*[@id='fallback-body']//button[normalize-space()='Add rule']"));
        List<WebElement> fromModels = driver.findElements(
                By.cssSelector("#fallback-body input[aria-label='From model']"));
        fromModels.get(fromModels.size() - 1).sendKeys("claude-browser-test");
        List<WebElement> toModels = driver.findElements(
                By.cssSelector("#fallback-body input[aria-label='To Vertex model']"));
        toModels.get(toModels.size() - 1).sendKeys("claude-sonnet-4-6");
        // A reload (live events cause them at any moment) keeps the edits that are not saved yet.
        WebElement drawnBefore = row(driver, "#t-claude", "claude@x.com");
        click(By.id("refresh"));
        wait.until(ExpectedConditions.stalenessOf(drawnBefore)); // the page was drawn again
        assertThat(driver.findElement(By.cssSelector("#fallback-body [role=status]")).getText())
                .isEqualTo("unsaved changes");
        assertThat(driver.findElements(By.cssSelector("#fallback-body input[aria-label='From model']"))
                .get(fromModels.size() - 1).getAttribute("value")).isEqualTo("claude-browser-test");
        click(By.xpath("//*[@id='fallback-body']//button[normalize-space()='Save routing']"));
        // The note is empty before the click, then "saving…", then "saved" or the error.
        String saveNote = wait.until(d -> {
            String text = d.findElement(By.cssSelector("#fallback-body [role=status]")).getText();
            return text.isEmpty() || text.startsWith("saving") ? null : text;
        });
        assertThat(saveNote).isEqualTo("saved");
        click(By.id("refresh"));
        wait.until(d -> !d.findElements(
                By.cssSelector("#fallback-body input[aria-label='From model'][value='claude-browser-test']")).isEmpty());
        ((ChromeDriver) driver).executeScript("window.scrollTo(0, 0)"); // back to the tabs for the next steps

        // Dark scheme and a phone-sized window.
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        click(By.id("tab-openai"));
        screenshot("11-dark");
        driver.manage().window().setSize(new Dimension(390, 844));
        wait.until(d -> d.findElement(By.cssSelector("#t-openai tr[data-id='beta@x.com']")).isDisplayed());
        screenshot("12-phone-dark");
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
        screenshot("13-phone");
        driver.manage().window().setSize(new Dimension(1280, 800));

        // Keyboard: the tab list moves with the arrow keys.
        driver.findElement(By.id("tab-openai")).sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("tab-claude");
        assertThat(driver.findElement(By.id("panel-claude")).isDisplayed()).isTrue();

        clientKeysAreCreatedCopiedAndRevoked();

        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    /** The Clients view: a new key's secret is shown once with a working copy button, then the key is revoked. */
    private static void clientKeysAreCreatedCopiedAndRevoked() throws Exception {
        click(By.id("tab-clients"));
        click(By.id("add-client"));
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dlg")));
        dialog.findElement(By.cssSelector("#dlg-body input[name=name]")).sendKeys("alice-laptop");
        dialog.findElement(By.cssSelector("#dlg-body input[name=models]")).sendKeys("gpt-5*, claude-sonnet-*");
        dialog.findElement(By.cssSelector("#dlg-body input[name=daily_budget_usd]")).sendKeys("5");
        screenshot("14-client-new");
        click(By.id("dlg-ok"));

        WebElement secretBox = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("client-secret")));
        String secret = secretBox.getAttribute("value");
        assertThat(secret).startsWith("pgk_");
        String shown = driver.findElement(By.id("dlg-body")).getText();
        String base = "http://127.0.0.1:" + APP.getLocalPort();
        assertThat(shown).contains("ANTHROPIC_BASE_URL=" + base).contains("ANTHROPIC_AUTH_TOKEN=" + secret)
                .contains("[model_providers.proxygate]").contains("base_url = \"" + base + "/v1\"")
                .contains("\"baseURL\": \"" + base + "/v1\"");
        screenshot("15-client-secret");

        // Copy puts the secret on the clipboard (the page may write it; the test reads it back).
        String origin = base;
        ((ChromeDriver) driver).executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        click(By.id("copy-secret"));
        wait.until(d -> d.findElement(By.id("toast")).getText().contains("Copied key"));
        Object clipboard = ((org.openqa.selenium.JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "navigator.clipboard.readText().then(done, (e) => done('error: ' + e));");
        assertThat(clipboard).isEqualTo(secret);

        // The key works on the API, and with a key in place an anonymous request is refused.
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(url("/v1/responses")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-5\",\"stream\":true,\"input\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThat(client.send(call.copy().header("Authorization", "Bearer " + secret).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("LIVE_PASS");
        assertThat(client.send(call.copy().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(401);

        click(By.id("dlg-cancel"));
        click(By.id("refresh"));
        wait.until(d -> !d.findElements(By.cssSelector("#t-clients tr[data-id] ")).isEmpty()
                && d.findElement(By.cssSelector("#t-clients tbody")).getText().contains("1 today"));
        assertThat(driver.getPageSource()).doesNotContain(secret);
        screenshot("16-clients");

        click(By.cssSelector("button[aria-label='Revoke alice-laptop']"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("dlg-ok"))).click();
        wait.until(d -> d.findElement(By.cssSelector("#t-clients tbody")).getText().contains("revoked"));
        assertThat(client.send(call.copy().header("Authorization", "Bearer " + secret).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        screenshot("17-client-revoked");
    }

    /** Finds and clicks in one step, again if a re-render replaced the element in between. */
    private static void click(By by) {
        wait.until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    private static WebElement row(WebDriver d, String table, String id) {
        return d.findElement(By.cssSelector(table + " tr[data-id='" + id + "']"));
    }

    /** The windows arrive by polling the mock; the refresh button reloads without leaving the page. */
    private static boolean reloadAndFalse(WebDriver d) {
        d.findElement(By.id("refresh")).click();
        return false;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + APP.getLocalPort() + path;
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

}
