package io.proxygate.application.port.out;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A change to a pool file's per-credential controls; absent fields stay as they are. A blank {@code proxy}, a zero
 * {@code maxConcurrent} or {@code priority} and an empty model list remove the field from the file.
 */
public record ControlsEdit(Optional<String> proxy, OptionalInt maxConcurrent, Optional<List<String>> models,
                           Optional<List<String>> excludeModels, OptionalInt priority) {
    public ControlsEdit {
        proxy = proxy == null ? Optional.empty() : proxy;
        maxConcurrent = maxConcurrent == null ? OptionalInt.empty() : maxConcurrent;
        models = models == null ? Optional.empty() : models.map(List::copyOf);
        excludeModels = excludeModels == null ? Optional.empty() : excludeModels.map(List::copyOf);
        priority = priority == null ? OptionalInt.empty() : priority;
        if (maxConcurrent.isPresent() && maxConcurrent.getAsInt() < 0) {
            throw new IllegalArgumentException("max_concurrent must be 0 (no cap) or more");
        }
    }
}
