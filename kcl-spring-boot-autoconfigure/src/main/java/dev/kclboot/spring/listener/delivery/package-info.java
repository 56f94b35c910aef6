/**
 * The delivery loop of one shard: the engine's record processor of a listener container, the filter step, retries with a {@link org.springframework.util.backoff.BackOff} counted per record in a tracker, partial batch failures and bisecting (a batch plan), expired records, the recoverer after the last attempt, what is done (per record, at a low watermark) and checkpointed by the checkpoint mode, and the shard's state for health checks. Knows its container only as a {@link dev.kclboot.spring.listener.delivery.DeliveryContainer}.
 */
@NullMarked
package dev.kclboot.spring.listener.delivery;

import org.jspecify.annotations.NullMarked;
