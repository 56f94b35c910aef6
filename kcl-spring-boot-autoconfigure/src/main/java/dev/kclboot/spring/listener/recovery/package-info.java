/**
 * What happens to records that fail for good: the default {@link dev.kclboot.spring.listener.KinesisRecordRecoverer} (log and skip), the dead-letter stream recoverer ({@link dev.kclboot.spring.listener.recovery.KinesisDeadLetterPublishingRecoverer} and its {@link dev.kclboot.spring.listener.recovery.DeadLetterEnvelope}), the failures a recoverer receives (a payload that cannot be converted, an expired record, a listener that threw a non-{@link java.lang.Exception}) and why a record was recovered ({@link dev.kclboot.spring.listener.recovery.RecoveryReason}).
 */
@NullMarked
package dev.kclboot.spring.listener.recovery;

import org.jspecify.annotations.NullMarked;
