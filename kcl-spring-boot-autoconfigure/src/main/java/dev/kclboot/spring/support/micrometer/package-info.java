/**
 * Micrometer observations of listener deliveries ({@link dev.kclboot.spring.support.micrometer.KinesisListenerObservation},
 * its convention and context) and the MDC keys set during a listener call.
 */
@NullMarked
package dev.kclboot.spring.support.micrometer;

import org.jspecify.annotations.NullMarked;
