package io.proxygate.domain.routing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightCounterTest {
    @Test
    void neverGoesBelowZero() {
        InFlightCounter counter = new InFlightCounter();
        counter.decrement();
        assertThat(counter.get()).isZero();
        counter.increment();
        counter.decrement();
        counter.decrement();
        assertThat(counter.get()).isZero();
    }

    @Test
    void staysExactUnderConcurrentIncrementsAndDecrements() throws Exception {
        InFlightCounter counter = new InFlightCounter();
        int threads = 8;
        int rounds = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        counter.increment();
                        counter.decrement();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(counter.get()).isZero();
    }
}
