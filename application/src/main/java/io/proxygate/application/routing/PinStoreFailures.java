package io.proxygate.application.routing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the failures of a conversation pin store and logs the first and every thousandth: routing goes on without
 * the store, and a dead store must not flood the log.
 */
final class PinStoreFailures {
    private final System.Logger log;
    private final AtomicLong count = new AtomicLong();

    PinStoreFailures(System.Logger log) {
        this.log = log;
    }

    /** One failed store call; {@code what} names it in the log ({@code read}, {@code write}, ...). */
    void record(String what, RuntimeException e) {
        long n = count.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            log.log(System.Logger.Level.WARNING, "conversation pin store " + what + " failed (" + n
                    + " failures so far): " + e);
        }
    }
}
