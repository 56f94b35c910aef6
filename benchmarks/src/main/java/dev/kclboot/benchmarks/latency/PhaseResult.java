package dev.kclboot.benchmarks.latency;

import java.util.Locale;

/**
 * What one contender measured over the records after the warm-up.
 * @param contender its name
 * @param records records measured
 * @param received of those, how many arrived
 * @param duplicates deliveries beyond the first
 * @param p50Millis median put-to-delivery latency
 * @param p99Millis 99th percentile
 * @param maxMillis the slowest
 * @param cpuMicrosPerRecord CPU of the contender's threads per record
 * @param allocatedKilobytesPerRecord what those threads allocated per record
 * @param kinesisMicrosPerRecord CPU of the Kinesis emulator per record (serving reads and writes)
 * @param otherCores cores used by processes outside the benchmark meanwhile (other builds make figures noisy)
 */
record PhaseResult(String contender, int records, int received, int duplicates, double p50Millis, double p99Millis,
        double maxMillis, double cpuMicrosPerRecord, double allocatedKilobytesPerRecord, double kinesisMicrosPerRecord,
        double otherCores) {

    static String header() {
        return String.format(Locale.ROOT, "%-32s %7s %7s %7s %7s %10s %10s %14s %7s %6s", "contender", "records",
                "p50 ms", "p99 ms", "max ms", "cpu us/rec", "alloc KB/r", "emulator us/r", "missing", "other");
    }

    String row() {
        return String.format(Locale.ROOT, "%-32s %7d %7.0f %7.0f %7.0f %10.0f %10.1f %14.0f %7d %6.2f", contender,
                records, p50Millis, p99Millis, maxMillis, cpuMicrosPerRecord, allocatedKilobytesPerRecord,
                kinesisMicrosPerRecord, records - received, otherCores);
    }
}
