/**
 * The threads the engine runs on: a bounded pool that grows only while every thread is busy and shrinks when work
 * calms down, so a worker's thread count follows how much runs at once, not how many shards it holds.
 */
@NullMarked
package dev.kclboot.core.executor;

import org.jspecify.annotations.NullMarked;
