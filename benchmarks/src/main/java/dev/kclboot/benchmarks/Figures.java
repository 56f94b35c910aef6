package dev.kclboot.benchmarks;

import java.util.Locale;

/** Formatting of rates, sizes and durations for the summary. */
final class Figures {

    private Figures() {
    }

    /** Records per second, 0 when no time passed. */
    static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f rec/s", perSecond);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%,d ms", Math.round(nanos / 1e6));
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** A signed size in MB, e.g. {@code +1.8 MB} or {@code -0.3 MB}. */
    static String megabytesDelta(long bytes) {
        return String.format(Locale.ROOT, "%+.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** A size with a unit that keeps it short: B, KB, MB or GB. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024.0 * 1024.0));
    }
}
