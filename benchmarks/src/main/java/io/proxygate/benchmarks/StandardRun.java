package io.proxygate.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run length every ProxyGate benchmark uses: three one-second warm-up iterations, five one-second measured ones,
 * one fork. Enough for the JIT to settle on these small hot paths while a whole suite stays a few minutes long; the
 * command line ({@code -wi}, {@code -i}, {@code -f}) still overrides it for one run. JMH's run annotations are
 * inherited, so a benchmark takes this length by extending the class.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class StandardRun {
}
