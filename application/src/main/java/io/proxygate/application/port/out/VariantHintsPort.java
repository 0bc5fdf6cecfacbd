package io.proxygate.application.port.out;

import io.proxygate.domain.fallback.VariantHints;

/** Reads the variant-related fields of a Messages request body (the body is JSON; the core does not parse it). */
public interface VariantHintsPort {
    /** The hints found; {@link VariantHints#NONE} for a body that is not a JSON object. */
    VariantHints read(byte[] body);
}
