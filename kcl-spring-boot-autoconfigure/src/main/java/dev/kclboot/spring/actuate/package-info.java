/**
 * Actuator support: the {@code kinesis} health indicator and operations endpoint, built from the workers' local state
 * only (no AWS call per look).
 */
@NullMarked
package dev.kclboot.spring.actuate;

import org.jspecify.annotations.NullMarked;
