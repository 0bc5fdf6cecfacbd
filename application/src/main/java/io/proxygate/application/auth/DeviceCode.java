package io.proxygate.application.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A ChatGPT device-code login in progress: the user opens {@code verificationUrl} and types {@code userCode}.
 *
 * @param pollInterval the server's suggested interval, when it sent one
 */
public record DeviceCode(URI verificationUrl, String userCode, String deviceAuthId, Optional<Duration> pollInterval) {
    public DeviceCode {
        Objects.requireNonNull(verificationUrl, "verificationUrl");
        Objects.requireNonNull(userCode, "userCode");
        Objects.requireNonNull(deviceAuthId, "deviceAuthId");
        pollInterval = pollInterval == null ? Optional.empty() : pollInterval;
    }
}
