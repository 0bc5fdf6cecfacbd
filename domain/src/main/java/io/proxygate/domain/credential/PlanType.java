package io.proxygate.domain.credential;

import java.util.Locale;

/** ChatGPT subscription plan, with its routing tier (pro 10, enterprise 8, plus 5, team 3, others 0). */
public enum PlanType {
    FREE(0), GO(0), PLUS(5), PRO(10), TEAM(3), BUSINESS(3), ENTERPRISE(8), EDU(0), UNKNOWN(0);

    private final int tier;

    PlanType(int tier) {
        this.tier = tier;
    }

    public int tier() {
        return tier;
    }

    /** Lenient parse: blank or unknown text yields {@link #UNKNOWN}. */
    public static PlanType parse(String text) {
        if (text == null || text.isBlank()) {
            return UNKNOWN;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** The lower-case wire name ({@code pro}, {@code plus}, ...). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
