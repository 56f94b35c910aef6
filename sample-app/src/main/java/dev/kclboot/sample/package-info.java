/**
 * The sample application: counts the words of the {@code words} stream per partition key.
 */
@NullMarked
package dev.kclboot.sample;

import org.jspecify.annotations.NullMarked;
