package io.proxygate.application.port.out;

import io.proxygate.application.usage.RequestRecord;

import java.util.List;

/** The request log: one row per proxied request. */
public interface RequestLogPort {
    /** Queues a row; never blocks the relay. Rows queued before a clean shutdown are all written. */
    void append(RequestRecord record);

    /** Most recent rows first. */
    List<RequestRecord> recent(int limit);
}
