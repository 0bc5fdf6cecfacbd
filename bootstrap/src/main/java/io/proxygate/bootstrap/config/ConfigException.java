package io.proxygate.bootstrap.config;

/** A bad configuration value: the message names the key and the expected form, fit for one line on stderr. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
