/**
 * Listener containers and worker groups: a container per listener, fed by the {@link dev.kclboot.core.Worker} of its application name (one worker per application name, built by a {@link dev.kclboot.spring.listener.container.KinesisWorkerFactory}); starting, stopping and pausing them, and the delivery threads listener calls run on.
 */
@NullMarked
package dev.kclboot.spring.listener.container;

import org.jspecify.annotations.NullMarked;
