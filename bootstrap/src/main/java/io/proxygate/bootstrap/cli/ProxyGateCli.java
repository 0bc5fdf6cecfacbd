package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.Cli;
import com.github.rvesse.airline.annotations.Group;
import com.github.rvesse.airline.annotations.Parser;
import com.github.rvesse.airline.help.Help;
import com.github.rvesse.airline.model.GlobalMetadata;
import com.github.rvesse.airline.parser.errors.ParseException;
import io.proxygate.bootstrap.config.ConfigException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The {@code proxy-gate} command line. Commands, flags and outputs are stable for scripts ({@code --flag=value}
 * and {@code --flag value} both work; errors are one {@code error: ...} line and exit 1); usage errors exit 2.
 */
@com.github.rvesse.airline.annotations.Cli(name = "proxy-gate",
        description = "Account-pooling gateway for OpenAI, ChatGPT, Claude and Anthropic APIs",
        defaultCommand = ServeCommand.class,
        commands = {ServeCommand.class, VersionCommand.class, HelpCommand.class, StatusCommand.class,
                ListCommand.class, ListCommand.Claude.class, ToggleCommand.Disable.class, ToggleCommand.Enable.class,
                ClearCooldownCommand.class,
                ImportCommands.Accounts.class, ImportCommands.Keys.class, LoginCommands.ChatGpt.class,
                LoginCommands.Claude.class, DeletedCommands.List_.class, DeletedCommands.Restore.class},
        groups = @Group(name = "client-key", description = "Keys for the people and tools using this gateway",
                commands = {ClientKeyCommands.Create.class, ClientKeyCommands.ListKeys.class,
                        ClientKeyCommands.Revoke.class, ClientKeyCommands.Update.class}),
        parserConfiguration = @Parser(allowCommandAbbreviation = false))
public final class ProxyGateCli {
    /** Returned by {@code serve}: the server runs on in its own threads, so the JVM must not exit. */
    public static final int KEEP_RUNNING = Integer.MIN_VALUE;

    private ProxyGateCli() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, new CliContext(out, err, env));
    }

    /** As {@link #run(String[], PrintStream, PrintStream, Map)} with standard input and the terminal check given. */
    public static int run(String[] args, CliContext raw) {
        // Credential files and upstream replies supply much of what is printed: no escape sequence reaches the
        // terminal.
        PrintStream out = TerminalSafeOutput.wrap(raw.out());
        PrintStream err = TerminalSafeOutput.wrap(raw.err());
        CliContext context = new CliContext(out, err, raw.env(), raw.in(), raw.terminal());
        Optional<ServeCommand> serve = plainServe(args);
        if (serve.isPresent()) {
            return runCommand(serve.get(), context);
        }
        Cli<CliCommand> cli = new Cli<>(ProxyGateCli.class);
        List<String> argList = new ArrayList<>(Arrays.asList(args));
        if (argList.size() == 1 && (argList.get(0).equals("-h") || argList.get(0).equals("--help"))) {
            argList.set(0, "help");
        }
        boolean wantsHelp = argList.size() > 1 && (argList.contains("--help") || argList.contains("-h"));
        if (wantsHelp) {
            String command = argList.stream().filter(a -> !a.startsWith("-")).findFirst().orElse("");
            return printHelp(cli.getMetadata(), command.isEmpty() ? List.of() : List.of(command), out, err);
        }
        CliCommand command;
        try {
            command = cli.parse(argList.toArray(String[]::new));
        } catch (ParseException e) {
            err.println("error: " + e.getMessage());
            printHelp(cli.getMetadata(), List.of(), err, err);
            return 2;
        }
        if (command instanceof HelpCommand help) {
            return printHelp(cli.getMetadata(), help.commandNames(), out, err);
        }
        return runCommand(command, context);
    }

    private static int runCommand(CliCommand command, CliContext context) {
        PrintStream err = context.err();
        try {
            return command.run(context);
        } catch (ConfigException | CliFailure e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        }
    }

    /**
     * The server's own command lines, {@code serve} (or nothing) with at most {@code --config PATH}, read without the
     * command-line library: every service start runs one, and building the library's model of all the commands
     * first loaded some 170 classes, kept for the server's life, and cost a start CPU time for nothing. Any other
     * form (help, another flag, a path starting with a dash) is left to the library, which reads these the same way.
     */
    static Optional<ServeCommand> plainServe(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (!rest.isEmpty() && rest.get(0).equals("serve")) {
            rest.remove(0);
        }
        ServeCommand serve = new ServeCommand();
        if (rest.size() == 1 && rest.get(0).startsWith("--config=")) {
            serve.config.path = rest.get(0).substring("--config=".length());
        } else if (rest.size() == 2 && (rest.get(0).equals("--config") || rest.get(0).equals("-c"))) {
            serve.config.path = rest.get(1);
        } else if (!rest.isEmpty()) {
            return Optional.empty();
        }
        return serve.config.path.isEmpty() || serve.config.path.startsWith("-") ? Optional.empty()
                : Optional.of(serve);
    }

    static int printHelp(GlobalMetadata<CliCommand> metadata, List<String> commandNames, PrintStream out,
                         PrintStream err) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            Help.help(metadata, commandNames, buffer);
        } catch (IOException | RuntimeException e) {
            err.println("error: unknown command: " + String.join(" ", commandNames));
            return 2;
        }
        out.print(buffer.toString(StandardCharsets.UTF_8));
        return 0;
    }
}
