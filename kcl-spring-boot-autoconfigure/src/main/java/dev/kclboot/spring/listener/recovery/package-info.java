/**
 * What happens to records that fail for good: the default {@link dev.kclboot.spring.listener.KinesisRecordRecoverer} (log and skip) and the failures a recoverer receives (a payload that cannot be converted, a listener that threw a non-{@link java.lang.Exception}).
 */
@NullMarked
package dev.kclboot.spring.listener.recovery;

import org.jspecify.annotations.NullMarked;
