package io.proxygate.domain.fallback;

/** A variant the admin UI offers: its id, a short label and what applying it does. */
public record VariantInfo(String id, String label, String description) {
}
