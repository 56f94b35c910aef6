/**
 * The listener containers' Micrometer meters: failures, retries, recovered records, recoverer failures, stops and the iterator age per shard.
 */
@NullMarked
package dev.kclboot.spring.listener.metrics;

import org.jspecify.annotations.NullMarked;
