/**
 * Put-to-listener latency and CPU per record of each retrieval, in one run on the same emulators: enhanced fan-out
 * next to a bare SubscribeToShard loop, polling next to a plain GetRecords loop
 * ({@link dev.kclboot.benchmarks.latency.LatencyBenchmark}).
 */
@NullMarked
package dev.kclboot.benchmarks.latency;

import org.jspecify.annotations.NullMarked;
