package io.proxygate.application.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** An ordered, immutable list of HTTP header fields with case-insensitive lookup. */
public record Headers(List<Map.Entry<String, String>> fields) {
    public static final Headers EMPTY = new Headers(List.of());

    public Headers {
        fields = List.copyOf(fields);
    }

    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must pair up");
        }
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            list.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new Headers(list);
    }

    /** First value of {@code name} (case-insensitive), if present and not blank. */
    public Optional<String> first(String name) {
        for (Map.Entry<String, String> field : fields) {
            if (field.getKey().equalsIgnoreCase(name) && field.getValue() != null && !field.getValue().isBlank()) {
                return Optional.of(field.getValue());
            }
        }
        return Optional.empty();
    }

    public List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> field : fields) {
            if (field.getKey().equalsIgnoreCase(name)) {
                values.add(field.getValue());
            }
        }
        return Collections.unmodifiableList(values);
    }

    public Headers with(String name, String value) {
        List<Map.Entry<String, String>> list = new ArrayList<>(fields);
        list.add(Map.entry(name, value));
        return new Headers(list);
    }

    /** Lower-cased names, for allow-list checks. */
    public static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
