package io.proxygate.adapter.out.persistence.pool;

import io.proxygate.domain.credential.Credential;

import java.util.List;

/**
 * What an import file yielded: the credentials to write, and one line per entry that was skipped and why.
 *
 * @param credentials usable credentials, in file order
 * @param skipped     reasons, such as {@code "entry 3 (work@example.com): missing accessToken"}
 */
public record ImportResult(List<Credential> credentials, List<String> skipped) {
    public ImportResult {
        credentials = List.copyOf(credentials);
        skipped = List.copyOf(skipped);
    }
}
