package io.proxygate.application.auth;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/** A started ChatGPT device-code login: show {@code verificationUrl} and {@code userCode} until {@code expiresAt}. */
public record DeviceLogin(URI verificationUrl, String userCode, Instant expiresAt, DeviceCode deviceCode) {
    public DeviceLogin {
        Objects.requireNonNull(verificationUrl, "verificationUrl");
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(deviceCode, "deviceCode");
    }
}
