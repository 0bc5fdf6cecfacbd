package io.proxygate.application.auth;

import java.io.IOException;
import java.util.Optional;

/**
 * What a user pastes while a login waits for its callback: a terminal's standard input, line by line. {@link #NONE}
 * when no terminal is attached (a script's input is not read).
 */
public interface PastedInput {
    PastedInput NONE = Optional::empty;

    /** Blocks for the next line; empty at the end of the input. */
    Optional<String> nextLine() throws IOException;

    /** A pasted line was not a redirect URL or code; the login keeps waiting. */
    default void rejected(String why) {
    }
}
