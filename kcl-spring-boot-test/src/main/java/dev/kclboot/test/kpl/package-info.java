/**
 * Builds records in the Kinesis Producer Library's aggregated format, so tests can feed KPL aggregates to a
 * consumer without the KPL (a native binary) on the test class path. {@link dev.kclboot.test.kpl.KplAggregate}
 * is the usual entry point; {@link dev.kclboot.test.kpl.ProtobufWriter} crafts arbitrary, even malformed, messages.
 */
@NullMarked
package dev.kclboot.test.kpl;

import org.jspecify.annotations.NullMarked;
