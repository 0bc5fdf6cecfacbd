package io.proxygate.adapter.out.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jackson factories for JSON read on request threads. Jackson's default keeps its parse buffers (about 16 KiB) in a
 * thread-local; with a virtual thread per request every open stream kept its own set for its whole life (a fifth of
 * an idle stream's heap). One pool shared by every thread keeps as many sets as parse at the same moment.
 */
public final class PooledJson {
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();

    private PooledJson() {
    }

    /** A fresh mapper on the shared pool (mappers are configured per use, so each caller gets its own). */
    public static ObjectMapper mapper() {
        return new ObjectMapper(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .build());
    }
}
