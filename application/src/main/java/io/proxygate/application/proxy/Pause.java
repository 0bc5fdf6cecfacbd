package io.proxygate.application.proxy;

import java.time.Duration;

/** Waiting, behind a port so that tests of the failover loop never really sleep. */
@FunctionalInterface
public interface Pause {
    void sleep(Duration duration) throws InterruptedException;

    Pause REAL = duration -> Thread.sleep(duration);
}
