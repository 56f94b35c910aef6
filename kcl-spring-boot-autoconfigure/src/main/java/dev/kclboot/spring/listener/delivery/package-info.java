/**
 * The delivery loop of one shard: the engine's record processor of a listener container, retries with a {@link org.springframework.util.backoff.BackOff}, the recoverer after the last attempt, what is done and checkpointed by the checkpoint mode, and the shard's state for health checks. Knows its container only as a {@link dev.kclboot.spring.listener.delivery.DeliveryContainer}.
 */
@NullMarked
package dev.kclboot.spring.listener.delivery;

import org.jspecify.annotations.NullMarked;
