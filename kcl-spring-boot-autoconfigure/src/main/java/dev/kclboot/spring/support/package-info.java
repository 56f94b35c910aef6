/**
 * Support for listener methods invoked through spring-messaging: the {@link dev.kclboot.spring.support.KinesisHeaders}
 * a method can take with {@code @Header}, and the messages built from records.
 */
@NullMarked
package dev.kclboot.spring.support;

import org.jspecify.annotations.NullMarked;
