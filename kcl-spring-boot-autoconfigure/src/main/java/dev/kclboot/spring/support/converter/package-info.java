/**
 * Message converters for record payloads: the raw types ({@code ByteBuffer}, {@code String}, {@code byte[]}) next to
 * the JSON converter the auto-configuration adds.
 */
@NullMarked
package dev.kclboot.spring.support.converter;

import org.jspecify.annotations.NullMarked;
