package io.proxygate.adapter.in.http;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's ES modules: each is served as JavaScript, and every import names a module that is served. */
class AssetsResourceTest {
    private static final Pattern IMPORT = Pattern.compile("^import \\{[^}]*} from '\\./([\\w-]+\\.js)';",
            Pattern.MULTILINE);
    private final AssetsResource assets = new AssetsResource();

    @Test
    void everyModuleIsServedAsJavaScript() {
        for (String module : AssetsResource.MODULES) {
            Response response = assets.get(module, null);
            assertThat(response.getStatus()).as(module).isEqualTo(200);
            assertThat(response.getMediaType().toString()).as(module).startsWith("text/javascript");
            assertThat(response.getHeaderString("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void everyImportResolvesToAServedModuleAndEveryModuleFileIsServed() throws IOException, URISyntaxException {
        Path folder = Path.of(AssetsResource.class.getResource("/dashboard/app.js").toURI()).getParent();
        Set<String> files = new HashSet<>();
        try (Stream<Path> list = Files.list(folder)) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".js")).forEach(files::add);
        }
        assertThat(files).containsExactlyInAnyOrderElementsOf(AssetsResource.MODULES);

        Set<String> imported = new HashSet<>();
        for (String module : AssetsResource.MODULES) {
            Matcher m = IMPORT.matcher(Files.readString(folder.resolve(module), StandardCharsets.UTF_8));
            while (m.find()) {
                imported.add(m.group(1));
            }
        }
        assertThat(AssetsResource.MODULES).containsAll(imported);
        // Every module but the entry point is reached from it.
        assertThat(imported).containsExactlyInAnyOrderElementsOf(
                AssetsResource.MODULES.stream().filter(m -> !m.equals("app.js")).toList());
    }

    @Test
    void theDashboardPageLoadsTheEntryModule() {
        String page = new String(AssetsResource.load("/dashboard/index.html"), StandardCharsets.UTF_8);
        assertThat(page).contains("<script type=\"module\" src=\"/assets/app.js\"></script>");
    }

    /** Assets are read when first asked for, so a file missing from the jar would only show there. */
    @Test
    void everyListedAssetIsInTheJarAndKeepsItsTag() {
        assertThat(AssetsResource.names()).contains("app.css", "favicon.svg", "uplot.js", "uplot.css")
                .containsAll(AssetsResource.MODULES);
        for (String name : AssetsResource.names()) {
            Response first = assets.get(name, null);
            assertThat(first.getStatus()).as(name).isEqualTo(200);
            assertThat((byte[]) first.getEntity()).as(name).isNotEmpty();
            String tag = first.getEntityTag().getValue();
            assertThat(assets.get(name, "\"" + tag + "\"").getStatus()).as(name).isEqualTo(304);
        }
    }

    @Test
    void unlistedNamesAreNotFound() {
        assertThat(assets.get("../index.html", null).getStatus()).isEqualTo(404);
        assertThat(assets.get("nope.js", null).getStatus()).isEqualTo(404);
    }
}
