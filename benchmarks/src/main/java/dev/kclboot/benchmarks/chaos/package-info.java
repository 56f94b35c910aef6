/**
 * The chaos suite: worker processes ({@link dev.kclboot.benchmarks.chaos.ChaosWorker}) that log every delivery and
 * checkpoint, a fault-injecting SDK interceptor ({@link dev.kclboot.benchmarks.chaos.FaultInjector}), an orchestrator
 * that produces ids, kills, restarts, reshards and cuts DynamoDB off ({@link dev.kclboot.benchmarks.chaos.ChaosRun}),
 * and a pure checker of the logs ({@link dev.kclboot.benchmarks.chaos.ChaosChecker}). {@code ChaosIT} runs a short
 * version in CI, {@link dev.kclboot.benchmarks.chaos.ChaosBenchmark} a long one.
 */
@NullMarked
package dev.kclboot.benchmarks.chaos;

import org.jspecify.annotations.NullMarked;
