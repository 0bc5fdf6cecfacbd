package io.proxygate.bootstrap.cli;

import com.github.rvesse.airline.annotations.Command;
import com.github.rvesse.airline.annotations.Option;
import io.proxygate.adapter.out.persistence.pool.CredentialImportException;
import io.proxygate.adapter.out.persistence.pool.ImportResult;
import io.proxygate.application.auth.DeviceLogin;
import io.proxygate.application.auth.LoginFailed;
import io.proxygate.application.auth.LoginResult;
import io.proxygate.application.auth.LoginService;
import io.proxygate.application.auth.ManualLogin;
import io.proxygate.application.auth.OAuthProvider;
import io.proxygate.application.auth.PastedInput;
import io.proxygate.bootstrap.config.ConfigLoader;
import io.proxygate.domain.credential.ChatGptAccount;
import io.proxygate.domain.credential.ClaudeAccount;
import io.proxygate.domain.credential.Credential;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Optional;

/** {@code add-account} (ChatGPT) and {@code add-claude-account}: OAuth logins and imports, with stable output. */
final class LoginCommands {
    private LoginCommands() {
    }

    /** {@code --abort-pending}: forgets the provider's pending --no-browser login and says whether there was one. */
    private static int abort(CliContext context, LoginService logins, OAuthProvider provider) throws LoginFailed {
        boolean had = logins.abortPending(provider);
        context.out().println(had ? "pending " + provider.displayName() + " OAuth cleared"
                : "no pending " + provider.displayName() + " OAuth login");
        return 0;
    }

    /**
     * {@code --no-browser}: how to finish (on stderr) and the URL alone on stdout, so a script can take it.
     */
    private static int showManualLogin(CliContext context, ManualLogin manual, String instructions,
                                       String finishCommand) {
        context.err().println(instructions);
        context.err().println(finishCommand);
        context.out().println(manual.authorizeUrl());
        return 0;
    }

    /** The login URL, in case the browser did not open. */
    private static void showBrowserUrl(CliContext context, URI url) {
        context.err().println("Open this URL to log in: ");
        context.err().println(url);
    }

    /**
     * The login in the browser. At a terminal a browser that does not open leaves the URL to open by hand, and the
     * login waits for it; with no one at a terminal (a script) nothing would ever open it, so the command fails at
     * once with its usage line instead of waiting minutes.
     */
    private static LoginResult browserLogin(CliContext context, LoginService logins, OAuthProvider provider,
                                            Optional<String> email, String usage) throws LoginFailed {
        try {
            return logins.loginWithBrowser(provider, email, url -> showBrowserUrl(context, url), context.terminal());
        } catch (LoginFailed e) {
            if (e.reason() == LoginFailed.Reason.NO_BROWSER) {
                throw new CliFailure("no browser to open and no terminal attached; usage: " + usage);
            }
            throw e;
        }
    }

    /** Standard input, line by line, when a person is at the terminal. */
    private static final class TerminalInput implements PastedInput {
        private final CliContext context;
        private final BufferedReader lines;

        TerminalInput(CliContext context) {
            this.context = context;
            this.lines = new BufferedReader(new InputStreamReader(context.in(), StandardCharsets.UTF_8));
        }

        @Override
        public Optional<String> nextLine() throws IOException {
            return Optional.ofNullable(lines.readLine());
        }

        @Override
        public void rejected(String why) {
            context.err().println("error: " + why + "; paste the whole address of the page the login redirected to");
        }
    }

    @Command(name = "add-account", description = "Log in a ChatGPT account (browser PKCE, --no-browser, --code, --device)")
    public static final class ChatGpt extends ConfiguredCommand {
        /** How long to wait for the browser to come back: enough to sign in, with two-factor, on another device. */
        private static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);

        @Option(name = "--no-browser", description = "print the login URL instead of opening a browser, then wait for "
                + "the callback (a forwarded port) or the pasted redirect URL; or finish later with --code")
        boolean noBrowser;

        @Option(name = "--wait", title = "DURATION", description = "how long --no-browser waits (default 5m; 0 = print "
                + "the URL and return, finish with --code)")
        String wait;

        @Option(name = "--code", title = "URL_OR_CODE", description = "finish a --no-browser login with the redirect URL or code")
        String code;

        @Option(name = "--device", description = "log in with a device code (no browser on this machine)")
        boolean device;

        @Option(name = "--abort-pending", description = "forget a pending --no-browser login")
        boolean abortPending;

        @Override
        public int run(CliContext context) throws LoginFailed {
            try (CliServices services = new CliServices(config.load(context), context.env())) {
                LoginService logins = services.logins();
                if (abortPending) {
                    return abort(context, logins, OAuthProvider.CHATGPT);
                }
                LoginResult result;
                if (code != null) {
                    result = logins.finishManualLogin(OAuthProvider.CHATGPT, code);
                } else if (noBrowser && waitFor().isZero()) {
                    return showManualLogin(context, logins.startManualLogin(OAuthProvider.CHATGPT),
                            "Open this URL in a browser, log in, then copy the address of the page it "
                                    + "redirects to (it may fail to load) and run:",
                            "  proxy-gate add-account --code='<that URL>'");
                } else if (noBrowser) {
                    result = headless(context, logins, waitFor());
                } else if (device) {
                    result = logins.loginChatGptWithDeviceCode(d -> showDevice(context, d));
                } else {
                    result = browserLogin(context, logins, OAuthProvider.CHATGPT, Optional.empty(),
                            "add-account [--no-browser] | --code=URL_OR_CODE | --device");
                }
                ChatGptAccount account = (ChatGptAccount) result.account();
                context.err().println("[auth] saved: " + result.file() + " (account_id=" + account.accountId()
                        + ", plan=" + account.plan().wireName() + ")" + (result.replacedExisting()
                        ? " - replaced the tokens of an existing account" : ""));
                context.out().println("added: " + account.email());
                return 0;
            } catch (LoginFailed e) {
                throw new CliFailure(e.getMessage());
            }
        }

        private Duration waitFor() {
            return wait == null ? DEFAULT_WAIT : ConfigLoader.flagDuration("--wait", wait);
        }

        /**
         * Waits for the callback on the loopback port (reachable through a forwarded port) and, when a person is at a
         * terminal, for the redirect URL pasted on standard input; either finishes the login.
         */
        private static LoginResult headless(CliContext context, LoginService logins, Duration wait)
                throws LoginFailed {
            PastedInput pasted = context.terminal() ? new TerminalInput(context) : PastedInput.NONE;
            try {
                return logins.loginHeadless(OAuthProvider.CHATGPT, wait, login -> {
                    context.err().println("Open this URL in a browser and log in. This waits " + human(wait)
                            + " for the browser to come back to port " + login.callbackPort() + " on this machine "
                            + "(forward that port when the browser runs elsewhere)" + (context.terminal()
                            ? ", or for the address of the page it redirects to, pasted here." : "."));
                    context.err().println("Or later: proxy-gate add-account --code='<that URL>'");
                    context.out().println(login.authorizeUrl());
                    context.out().flush();
                }, pasted);
            } catch (LoginFailed e) {
                if (e.reason() == LoginFailed.Reason.TIMED_OUT) {
                    throw new LoginFailed(e.reason(), e.getMessage().replace("; start the login again", "")
                            + "; the login stays pending: finish it with proxy-gate add-account --code='<redirect "
                            + "URL>'", e);
                }
                throw e;
            }
        }

        private static String human(Duration d) {
            return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
        }

        private static void showDevice(CliContext context, DeviceLogin d) {
            context.err().println("Open " + d.verificationUrl() + " and enter the code " + d.userCode()
                    + " (valid until " + d.expiresAt() + ")");
        }
    }

    @Command(name = "add-claude-account",
            description = "Add a Claude account: --from=credentials.json, or log in (browser, --no-browser, --code)")
    public static final class Claude extends ConfiguredCommand {
        @Option(name = "--from", title = "PATH", description = "import ~/.claude/.credentials.json or a Claude JSON file")
        String from;

        @Option(name = "--email", title = "EMAIL", description = "the account's email (overrides the file or profile)")
        String email;

        @Option(name = "--no-browser", description = "print the login URL instead of opening a browser; finish with --code")
        boolean noBrowser;

        @Option(name = "--code", title = "URL_OR_CODE", description = "finish a --no-browser login with the redirect URL or code")
        String code;

        @Option(name = "--abort-pending", description = "forget a pending --no-browser login")
        boolean abortPending;

        @Override
        public int run(CliContext context) {
            try (CliServices services = new CliServices(config.load(context), context.env())) {
                Optional<String> emailOverride = Optional.ofNullable(email).filter(e -> !e.isBlank());
                if (from != null) {
                    ImportResult result;
                    try {
                        result = services.imports().claude(Path.of(from), emailOverride);
                    } catch (CredentialImportException e) {
                        throw new CliFailure(e.getMessage());
                    }
                    if (result.credentials().isEmpty()) {
                        throw new CliFailure(result.skipped().isEmpty() ? "no Claude account in " + from
                                : result.skipped().get(0));
                    }
                    for (Credential c : result.credentials()) {
                        services.pool.add(c);
                        context.out().println("added claude: " + c.label());
                    }
                    return 0;
                }
                LoginService logins = services.logins();
                if (abortPending) {
                    return abort(context, logins, OAuthProvider.CLAUDE);
                }
                LoginResult result;
                if (code != null) {
                    result = logins.finishManualLogin(OAuthProvider.CLAUDE, code, emailOverride);
                } else if (noBrowser) {
                    return showManualLogin(context, logins.startManualLogin(OAuthProvider.CLAUDE),
                            "Open this URL in a browser, log in, then paste the code (or the redirect "
                                    + "URL) it shows into:",
                            "  proxy-gate add-claude-account --code='<code or URL>'");
                } else {
                    result = browserLogin(context, logins, OAuthProvider.CLAUDE, emailOverride,
                            "add-claude-account --from=PATH | --no-browser | --code=URL");
                }
                ClaudeAccount account = (ClaudeAccount) result.account();
                context.out().println("added: " + account.email() + " (account_id=" + account.accountId() + ", plan="
                        + account.subscriptionType() + ")");
                return 0;
            } catch (LoginFailed e) {
                throw new CliFailure(e.getMessage());
            }
        }
    }
}
