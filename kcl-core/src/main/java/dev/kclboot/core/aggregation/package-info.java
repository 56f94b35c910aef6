/**
 * Unpacks records written by the Kinesis Producer Library (KPL aggregation) into the user records they carry, as
 * the KCL does. {@link dev.kclboot.core.aggregation.RecordDeaggregator} is the entry point.
 */
@NullMarked
package dev.kclboot.core.aggregation;

import org.jspecify.annotations.NullMarked;
