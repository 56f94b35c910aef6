/**
 * The ordered-parallelism benchmark of issue 14: an I/O-bound handler (a sleep per record) at concurrency 1, 2, 5,
 * 10 and 50 per shard, in one run, as ratios against concurrency 1.
 */
@NullMarked
package dev.kclboot.benchmarks.parallel;

import org.jspecify.annotations.NullMarked;
