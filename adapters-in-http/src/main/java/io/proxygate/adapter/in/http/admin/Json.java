package io.proxygate.adapter.in.http.admin;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a JSON object in field order, leaving empty optional fields out rather than writing nulls. Times
 * are RFC 3339 in UTC; money is a plain decimal.
 */
final class Json {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    static Json object() {
        return new Json();
    }

    Json put(String name, Object value) {
        fields.put(name, normalize(value));
        return this;
    }

    /** Only when present (and, for strings, not blank). */
    Json opt(String name, Optional<?> value) {
        value.filter(v -> !(v instanceof String s) || !s.isBlank()).ifPresent(v -> fields.put(name, normalize(v)));
        return this;
    }

    /** Only when not null and (for strings) not blank. */
    Json optValue(String name, Object value) {
        return opt(name, Optional.ofNullable(value));
    }

    /** Only when true. */
    Json flag(String name, boolean value) {
        if (value) {
            fields.put(name, true);
        }
        return this;
    }

    /** Only when not zero. */
    Json nonZero(String name, long value) {
        if (value != 0) {
            fields.put(name, value);
        }
        return this;
    }

    Map<String, Object> build() {
        return fields;
    }

    static Object normalize(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i.toString();
            case BigDecimal d -> money(d);
            case Json j -> j.build();
            case Optional<?> o -> o.map(Json::normalize).orElse(null);
            case Collection<?> c -> c.stream().map(Json::normalize).toList();
            default -> value;
        };
    }

    /** A plain decimal (never scientific notation), trimmed of trailing zeros. */
    static BigDecimal money(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
