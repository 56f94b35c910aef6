package dev.kclboot.benchmarks.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * DynamoDB requests and consumed capacity units per kind of call, at one instant or over a window (the difference of
 * two snapshots). A kind is the SDK operation name, optionally with what the call did for the engine after a colon
 * ({@code UpdateItem:renew}); {@link #byOperation()} folds the purposes into their operation. Immutable; the text
 * form ({@link #lines()}, {@link #parse(List)}) carries counts from the KCL baseline's process to the benchmark.
 */
record CallCounts(Map<String, Tally> kinds) {

    /** Requests sent (HTTP attempts) and capacity units consumed by the successful ones. */
    record Tally(long requests, double units) {

        Tally plus(Tally other) {
            return new Tally(requests + other.requests, units + other.units);
        }

        Tally minus(Tally other) {
            return new Tally(requests - other.requests, units - other.units);
        }
    }

    static final CallCounts EMPTY = new CallCounts(Map.of());

    CallCounts {
        kinds = Map.copyOf(kinds);
    }

    /** What happened after {@code earlier} (a snapshot of the same counter taken before this one). */
    CallCounts minus(CallCounts earlier) {
        Map<String, Tally> result = new TreeMap<>();
        kinds.forEach((kind, tally) -> {
            Tally diff = tally.minus(earlier.kinds.getOrDefault(kind, new Tally(0, 0)));
            if (diff.requests != 0 || diff.units != 0) {
                result.put(kind, diff);
            }
        });
        return new CallCounts(result);
    }

    /** The sum of two counts (two workers of one fleet). */
    CallCounts plus(CallCounts other) {
        Map<String, Tally> result = new TreeMap<>(kinds);
        other.kinds.forEach((kind, tally) -> result.merge(kind, tally, Tally::plus));
        return new CallCounts(result);
    }

    /** Per operation: the purposes after the colon folded in, sorted by name. */
    Map<String, Tally> byOperation() {
        Map<String, Tally> result = new TreeMap<>();
        kinds.forEach((kind, tally) -> result.merge(operationOf(kind), tally, Tally::plus));
        return result;
    }

    /** Only the kinds that carry a purpose ({@code UpdateItem:renew}...), sorted by name. */
    Map<String, Tally> purposes() {
        Map<String, Tally> result = new TreeMap<>();
        kinds.forEach((kind, tally) -> {
            if (kind.indexOf(':') > 0) {
                result.put(kind, tally);
            }
        });
        return result;
    }

    Tally total() {
        Tally total = new Tally(0, 0);
        for (Tally tally : kinds.values()) {
            total = total.plus(tally);
        }
        return total;
    }

    /**
     * A count scaled to one shard for one hour.
     * @param shards the leases the count was made for
     * @param windowNanos how long the count ran
     */
    static double perShardHour(double count, int shards, long windowNanos) {
        if (shards <= 0 || windowNanos <= 0) {
            return 0;
        }
        return count / shards * (3_600e9 / windowNanos);
    }

    /** One line per kind, {@code kind<TAB>requests<TAB>units}. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        new TreeMap<>(kinds).forEach((kind, tally) -> lines.add(String.format(Locale.ROOT, "%s\t%d\t%.1f", kind,
                tally.requests, tally.units)));
        return lines;
    }

    /**
     * Reads {@link #lines()} back; other lines are skipped.
     * @throws IllegalArgumentException for a line of three fields whose numbers do not parse
     */
    static CallCounts parse(List<String> lines) {
        Map<String, Tally> kinds = new TreeMap<>();
        for (String line : lines) {
            String[] fields = line.split("\t");
            if (fields.length != 3) {
                continue;
            }
            try {
                kinds.merge(fields[0], new Tally(Long.parseLong(fields[1].trim()), Double.parseDouble(fields[2].trim())),
                        Tally::plus);
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("Not a count line: '" + line + "'", ex);
            }
        }
        return new CallCounts(kinds);
    }

    static String operationOf(String kind) {
        int colon = kind.indexOf(':');
        return colon < 0 ? kind : kind.substring(0, colon);
    }
}
