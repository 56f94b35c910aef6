/**
 * The {@link dev.kclboot.spring.annotation.KinesisListener} annotation and the bean post-processor that turns annotated methods into listener endpoints.
 */
@NullMarked
package dev.kclboot.spring.annotation;

import org.jspecify.annotations.NullMarked;
