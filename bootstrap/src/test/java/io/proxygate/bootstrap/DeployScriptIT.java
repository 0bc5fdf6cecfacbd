package io.proxygate.bootstrap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code scripts/deploy.sh} run as a user would, in dry-run mode, with a HOME whose path has spaces: the launchd
 * property list and the systemd unit it would write are well formed and complete, an uninstall never touches the
 * pool or data without {@code --purge}, and a dry run writes nothing at all.
 */
class DeployScriptIT {
    private static final Pattern WRITE = Pattern.compile(
            "^=== write (.+) \\(mode (\\d+)\\)\\n(.*?)\\n=== end \\1$", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern REMOVE = Pattern.compile("^=== remove (.+)$", Pattern.MULTILINE);
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path tmp;

    private Path home;
    private Path prefix;

    private record Run(int exit, String out, String err) {
        Map<String, String> writes() {
            Map<String, String> files = new LinkedHashMap<>();
            Matcher m = WRITE.matcher(out);
            while (m.find()) {
                files.put(m.group(1), m.group(3));
            }
            return files;
        }

        List<String> removals() {
            List<String> paths = new ArrayList<>();
            Matcher m = REMOVE.matcher(out);
            while (m.find()) {
                paths.add(m.group(1));
            }
            return paths;
        }

        List<String> commands() {
            return out.lines().filter(l -> l.startsWith("+ ")).map(l -> l.substring(2)).toList();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        // Characters that need quoting in a shell, escaping in XML and in systemd's unit syntax.
        home = Files.createDirectories(tmp.resolve("home dir/with spaces & <odd> 100%"));
        prefix = home.resolve(".proxy-gate");
    }

    @Test
    void macOsDryRunShowsALaunchAgentPropertyListLaunchdCanRead() throws Exception {
        Map<String, FileTime> before = snapshot();

        Run run = deploy("--dry-run", "--os", "macos");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(snapshot()).as("a dry run writes nothing").isEqualTo(before);
        Path plistPath = home.resolve("Library/LaunchAgents/com.proxygate.server.plist");
        assertThat(run.writes()).containsKey(plistPath.toString());

        Document doc = parsePlist(run.writes().get(plistPath.toString()));
        assertThat(doc.getDoctype().getName()).isEqualTo("plist");
        assertThat(doc.getDoctype().getPublicId()).isEqualTo("-//Apple//DTD PLIST 1.0//EN");
        assertThat(doc.getDoctype().getSystemId()).isEqualTo("http://www.apple.com/DTDs/PropertyList-1.0.dtd");
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("plist");
        assertThat(root.getAttribute("version")).isEqualTo("1.0");
        List<Element> top = children(root);
        assertThat(top).hasSize(1);
        Map<String, Object> agent = dict(top.get(0));

        assertThat(agent).containsEntry("Label", "com.proxygate.server")
                .containsEntry("ProgramArguments", List.of(prefix.resolve("bin/proxy-gate").toString(), "serve"))
                .containsEntry("WorkingDirectory", prefix.toString())
                .containsEntry("RunAtLoad", true)
                .containsEntry("KeepAlive", true)
                .containsEntry("StandardOutPath", prefix.resolve("logs/proxy-gate.out.log").toString())
                .containsEntry("StandardErrorPath", prefix.resolve("logs/proxy-gate.err.log").toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) agent.get("EnvironmentVariables");
        assertThat(env).containsEntry("JAVA_HOME", JAVA_HOME);
        assertThat((String) env.get("PATH")).startsWith(JAVA_HOME + "/bin:").contains("/usr/bin");

        String uid = uid();
        String quotedPlist = shellQuoted(plistPath.toString());
        assertThat(run.commands()).contains("launchctl bootstrap gui/" + uid + " " + quotedPlist,
                "launchctl kickstart -k gui/" + uid + "/com.proxygate.server");
    }

    @Test
    void linuxDryRunShowsAUserUnitSystemdAccepts() throws Exception {
        Map<String, FileTime> before = snapshot();

        Run run = deploy("--dry-run", "--os", "linux");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(snapshot()).as("a dry run writes nothing").isEqualTo(before);
        Path unitPath = home.resolve(".config/systemd/user/proxy-gate.service");
        String unit = run.writes().get(unitPath.toString());
        assertThat(unit).isNotNull();
        Map<String, List<String>> sections = sections(unit);
        assertThat(sections).containsOnlyKeys("Unit", "Service", "Install");
        assertThat(sections.get("Service")).contains(
                "ExecStart=\"" + systemdEscaped(prefix.resolve("bin/proxy-gate").toString()) + "\" serve",
                "WorkingDirectory=" + systemdEscaped(prefix.toString()),
                "Restart=always");
        assertThat(sections.get("Service")).anySatisfy(line -> assertThat(line)
                .startsWith("Environment=\"JAVA_HOME=" + JAVA_HOME + "\" \"PATH=" + JAVA_HOME + "/bin:"));
        assertThat(sections.get("Install")).contains("WantedBy=default.target");
        assertThat(run.commands()).containsSubsequence("systemctl --user daemon-reload",
                "systemctl --user enable --now proxy-gate");
        assertThat(run.out()).contains("http://127.0.0.1:19527/healthz");

        // systemd's own parser, where it is installed: the quoted ExecStart must name the launcher, spaces and all.
        assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
        Path launcher = Files.createDirectories(prefix.resolve("bin")).resolve("proxy-gate");
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        launcher.toFile().setExecutable(true);
        Path unitFile = Files.writeString(tmp.resolve("proxy-gate.service"), unit + "\n");
        Process verify = new ProcessBuilder("systemd-analyze", "verify", unitFile.toString())
                .redirectErrorStream(true).start();
        String report = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor()).as(report).isZero();
    }

    @Test
    void theLauncherRunsTheInstalledJarFromTheInstallFolder() throws Exception {
        Run run = deploy("--dry-run", "--os", "linux");

        String launcher = run.writes().get(prefix.resolve("bin/proxy-gate").toString());
        assertThat(launcher).startsWith("#!/usr/bin/env bash")
                .contains("cd " + shellQuoted(prefix.toString()))
                .contains("-jar " + shellQuoted(prefix.resolve("lib/proxy-gate.jar").toString()) + " \"$@\"");
        Process syntax = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
        syntax.getOutputStream().write(launcher.getBytes(StandardCharsets.UTF_8));
        syntax.getOutputStream().close();
        assertThat(syntax.waitFor()).isZero();
    }

    @Test
    void thePrefixOptionInstallsElsewhereAndTheHealthCheckFollowsTheConfiguredAddress() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("other place/pg"));
        Files.writeString(elsewhere.resolve("config.toml"), """
                [paths]
                data_dir = "./data"
                [server] # the API
                addr = "127.0.0.1:19999"
                [admin]
                addr = "127.0.0.1:19998"
                """);

        Run run = deploy("--dry-run", "--os", "linux", "--prefix", elsewhere.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.writes()).containsKey(elsewhere.resolve("bin/proxy-gate").toString());
        assertThat(run.out()).contains("http://127.0.0.1:19999/healthz")
                .doesNotContain("=== copy " + TestPaths.repoRoot().resolve("config.toml.example"));
    }

    @Test
    void uninstallDryRunListsWhatGoesButNeverThePoolDataOrConfigWithoutPurge() throws Exception {
        Files.createDirectories(prefix.resolve("pool/chatgpt"));
        Files.createDirectories(prefix.resolve("data"));
        Files.writeString(prefix.resolve("config.toml"), "[server]\n");
        Map<String, FileTime> before = snapshot();

        for (String os : List.of("linux", "macos")) {
            Run run = deploy("--uninstall", "--dry-run", "--os", os);

            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.removals()).contains(prefix.resolve("bin/proxy-gate").toString(),
                    prefix.resolve("lib/proxy-gate.jar").toString(), prefix.resolve("logs").toString(),
                    os.equals("linux") ? home.resolve(".config/systemd/user/proxy-gate.service").toString()
                            : home.resolve("Library/LaunchAgents/com.proxygate.server.plist").toString());
            assertThat(run.removals()).noneSatisfy(path -> assertThat(path).satisfiesAnyOf(
                    p -> assertThat(p).isEqualTo(prefix.toString()),
                    p -> assertThat(p).startsWith(prefix.resolve("pool").toString()),
                    p -> assertThat(p).startsWith(prefix.resolve("data").toString()),
                    p -> assertThat(p).isEqualTo(prefix.resolve("config.toml").toString())));
            assertThat(run.commands()).contains(os.equals("linux") ? "systemctl --user disable --now proxy-gate"
                    : "launchctl bootout gui/" + uid() + "/com.proxygate.server");
        }
        assertThat(snapshot()).isEqualTo(before);

        Run purge = deploy("--uninstall", "--purge", "--dry-run", "--os", "linux");
        assertThat(purge.removals()).contains(prefix.toString());
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        assertThat(deploy("--dry-run", "--os", "windows").exit()).isEqualTo(2);
        assertThat(deploy("--purge", "--dry-run").exit()).isEqualTo(2);
        assertThat(deploy("--frobnicate").exit()).isEqualTo(2);
    }

    // ---- helpers

    private Run deploy(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash",
                TestPaths.repoRoot().resolve("scripts/deploy.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("JAVA_HOME", JAVA_HOME);
        pb.environment().remove("PROXYGATE_ADDR");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("deploy.sh did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Every path under HOME with its modification time: a dry run must leave it exactly as it was. */
    private Map<String, FileTime> snapshot() throws IOException {
        Map<String, FileTime> state = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path p : paths.toList()) {
                state.put(home.relativize(p).toString(), Files.getLastModifiedTime(p));
            }
        }
        return state;
    }

    private static Document parsePlist(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // Parse the DOCTYPE but never fetch Apple's DTD from the network.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setNamespaceAware(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            } else {
                assertThat(n.getTextContent().isBlank()).as("only whitespace between plist elements").isTrue();
            }
        }
        return out;
    }

    /** A plist dict: alternating {@code <key>} and value elements. */
    private static Map<String, Object> dict(Element dict) {
        assertThat(dict.getTagName()).isEqualTo("dict");
        List<Element> items = children(dict);
        assertThat(items.size() % 2).as("keys and values pair up").isZero();
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            assertThat(items.get(i).getTagName()).isEqualTo("key");
            String key = items.get(i).getTextContent();
            assertThat(out).as("duplicate key " + key).doesNotContainKey(key);
            out.put(key, value(items.get(i + 1)));
        }
        return out;
    }

    private static Object value(Element e) {
        return switch (e.getTagName()) {
            case "string" -> e.getTextContent();
            case "integer" -> Long.parseLong(e.getTextContent());
            case "true" -> true;
            case "false" -> false;
            case "array" -> children(e).stream().map(DeployScriptIT::value).toList();
            case "dict" -> dict(e);
            default -> throw new AssertionError("not a plist value: <" + e.getTagName() + ">");
        };
    }

    private static Map<String, List<String>> sections(String unit) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : unit.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new ArrayList<>();
                out.put(line.substring(1, line.length() - 1), current);
            } else {
                assertThat(current).as("a setting before any section: " + line).isNotNull();
                assertThat(line).as("Key=value").matches("[A-Za-z]+=.*");
                current.add(line);
            }
        }
        return out;
    }

    /** As bash's {@code printf %q} writes the characters our test paths contain. */
    private static String shellQuoted(String path) {
        return path.replaceAll("([ &<>])", "\\\\$1");
    }

    /** systemd expands {@code %} specifiers in paths and command lines: a literal one is written {@code %%}. */
    private static String systemdEscaped(String path) {
        return path.replace("%", "%%");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static String uid() throws IOException {
        return new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).trim();
    }
}
