package io.proxygate.domain.usage;

import java.util.Locale;
import java.util.Optional;

/** Which of a model's rate sets applies to a request, from the OpenAI {@code service_tier} it ran on. */
public enum PriceTier {
    STANDARD, PRIORITY, FLEX;

    /** {@code priority} and {@code flex} (any case) pick their tier; anything else ({@code default}, {@code auto}, absent) is standard. */
    public static PriceTier of(Optional<String> serviceTier) {
        return serviceTier.map(t -> switch (t.trim().toLowerCase(Locale.ROOT)) {
            case "priority" -> PRIORITY;
            case "flex" -> FLEX;
            default -> STANDARD;
        }).orElse(STANDARD);
    }
}
