package io.proxygate.application.port.out;

import java.time.Instant;
import java.time.ZoneOffset;

/** Keeps the request log bounded: old rows become daily roll-ups, so totals survive while detail goes. */
public interface RequestLogRetentionPort {
    /**
     * Folds every ordinary row started before {@code cutoff} into one roll-up row per local day (at
     * {@code offset}), credential, provider, model, service tier and outcome, in one transaction.
     *
     * @return how many rows were folded
     */
    long rollUpBefore(Instant cutoff, ZoneOffset offset);
}
