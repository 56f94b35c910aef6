/**
 * The bridge between the engine and a child: one {@link dev.kclboot.core.processor.RecordProcessor} per lease that starts a child and holds the protocol conversation for each lifecycle call, and what happens when a child fails.
 */
@NullMarked
package dev.kclboot.multilang.processor;

import org.jspecify.annotations.NullMarked;
