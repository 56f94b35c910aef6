/**
 * Adapts a {@code @KinesisListener} method to a listener: resolves its parameters (payload, records, metadata, checkpointer) and converts payloads.
 */
@NullMarked
package dev.kclboot.spring.listener.adapter;

import org.jspecify.annotations.NullMarked;
