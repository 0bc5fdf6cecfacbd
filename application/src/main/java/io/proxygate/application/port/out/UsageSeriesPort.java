package io.proxygate.application.port.out;

import io.proxygate.application.usage.SeriesPoint;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** Time series of the request log, for charts: one point per time bucket and series. */
public interface UsageSeriesPort {
    /** Length of a bucket; hours and days start on the local clock of the zone asked for. */
    enum Bucket { HOUR, DAY }

    /** What the series are: everything together, one per credential, or one per model. */
    enum Split { NONE, CREDENTIAL, MODEL, CLIENT_KEY }

    /**
     * Points for rows started in {@code [from, to)}, ordered by bucket then series; buckets without rows are
     * left out.
     *
     * @throws IllegalArgumentException when the range holds too many buckets to answer cheaply
     */
    List<SeriesPoint> series(Bucket bucket, Split split, Instant from, Instant to, ZoneId zone);
}
