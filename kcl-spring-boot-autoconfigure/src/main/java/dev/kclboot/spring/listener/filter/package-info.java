/**
 * Record filters written as SpEL expressions ({@link dev.kclboot.spring.listener.filter.ExpressionRecordFilter}) and
 * what they can read ({@link dev.kclboot.spring.listener.filter.FilterContext}); the filter interface itself is
 * {@link dev.kclboot.spring.listener.KinesisRecordFilterStrategy}.
 */
@NullMarked
package dev.kclboot.spring.listener.filter;

import org.jspecify.annotations.NullMarked;
