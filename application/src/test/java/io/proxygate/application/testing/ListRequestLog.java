package io.proxygate.application.testing;

import io.proxygate.application.port.out.RequestLogPort;
import io.proxygate.application.usage.RequestRecord;

import java.util.List;

/** A request log kept in a list the test holds: rows in the order appended, and {@code recent} gives them all. */
public record ListRequestLog(List<RequestRecord> rows) implements RequestLogPort {
    @Override
    public void append(RequestRecord record) {
        rows.add(record);
    }

    @Override
    public List<RequestRecord> recent(int limit) {
        return rows;
    }
}
