package io.proxygate.bootstrap.cli;

/** A command failed in a way the user can fix: printed as one {@code error: ...} line, exit 1. */
public final class CliFailure extends RuntimeException {
    public CliFailure(String message) {
        super(message, null, false, false);
    }
}
