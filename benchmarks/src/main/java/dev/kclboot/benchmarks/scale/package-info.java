/**
 * The scale benchmark of issue 11 (a main class, not a test): {@link dev.kclboot.benchmarks.scale.ScaleBenchmark}
 * runs one and two workers on 20, 100 and 200 shards of kinesis-local with latency added to every DynamoDB call of
 * the workers, observes the lease table from outside, and prints leases lost, the longest time a lease's counter
 * stood still, DynamoDB requests and units per shard-hour, threads, heap, time to consume every shard, time to
 * balance two workers and duplicates during rebalancing; plus an idle run at 4 leases side by side with KCL 3.5.1.
 */
@NullMarked
package dev.kclboot.benchmarks.scale;

import org.jspecify.annotations.NullMarked;
