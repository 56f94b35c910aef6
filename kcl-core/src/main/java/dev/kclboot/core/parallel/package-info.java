/**
 * Ordered parallelism inside a shard: records of one partition key one at a time in shard order, different keys at
 * once, and the checkpoint at the low watermark (the highest position below which every record is done).
 */
@NullMarked
package dev.kclboot.core.parallel;

import org.jspecify.annotations.NullMarked;
