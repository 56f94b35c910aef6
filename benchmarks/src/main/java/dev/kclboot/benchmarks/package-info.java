/**
 * The throughput, first-record and heap benchmark of the engine against a plain GetRecords loop (a main class, not
 * a test): {@link dev.kclboot.benchmarks.ThroughputBenchmark}. The chaos suite is in
 * {@link dev.kclboot.benchmarks.chaos}.
 */
@NullMarked
package dev.kclboot.benchmarks;

import org.jspecify.annotations.NullMarked;
