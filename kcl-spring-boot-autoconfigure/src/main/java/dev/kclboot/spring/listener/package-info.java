/**
 * Listener containers: one per listener, feeding a {@link dev.kclboot.core.Worker} per application name, with checkpoint modes, retry with a {@link org.springframework.util.backoff.BackOff} and recoverers.
 */
@NullMarked
package dev.kclboot.spring.listener;

import org.jspecify.annotations.NullMarked;
