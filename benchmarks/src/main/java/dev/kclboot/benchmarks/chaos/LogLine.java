package dev.kclboot.benchmarks.chaos;

import java.util.List;

/**
 * One line of a chaos log, parsed: a type, the {@code System.nanoTime()} it was written at, its fields, and where it
 * came from ({@code file:line}) so that a report can quote it. The types (fields after the time):
 * <ul>
 * <li>producer: {@code W sentNanos id key shard sequence} (a record the producer's PutRecords acknowledged; the
 * line's time is the acknowledgement)</li>
 * <li>processor: {@code I tenure shard} (initialize), {@code B tenure shard batch size from} (a batch handed over;
 * {@code from} is the checkpointer's stored checkpoint), {@code D tenure shard batch sequence sub id key} (one
 * delivered record), {@code C tenure shard batch position} (a checkpoint that succeeded), {@code E tenure shard
 * batch attempt exception} (a checkpoint attempt that failed), {@code T tenure shard batch exception}
 * (processRecords threw: the engine delivers the batch again), {@code S tenure shard reason} (shutdown)</li>
 * <li>worker process: {@code P worker event [detail...]} (START, STARTED, START_FAILED, STOPPING, STOPPED),
 * {@code Q worker name=count...} (faults injected, at exit)</li>
 * <li>orchestrator: {@code A action [args...]} (START, KILL, STOP, STOPPED, EXITED, SPLIT, MERGE, DYNAMODB_DOWN,
 * DYNAMODB_UP, PRODUCER_STOP...)</li>
 * </ul>
 * A tenure is {@code <worker>/<n>}: the n-th processor of one worker process, i.e. one lease tenure.
 *
 * @param type the first character of the line
 * @param nanos when it was written
 * @param fields the fields after the time
 * @param origin {@code file:line}
 * @param text the line as written
 */
public record LogLine(char type, long nanos, List<String> fields, String origin, String text) {

    /**
     * Parses one line.
     * @throws IllegalArgumentException when the line is not of a known type or has the wrong number of fields
     */
    public static LogLine parse(String text, String origin) {
        String[] parts = text.split(" ");
        if (parts.length < 2 || parts[0].length() != 1) {
            throw new IllegalArgumentException("Malformed chaos log line at " + origin + ": '" + text + "'");
        }
        char type = parts[0].charAt(0);
        long nanos;
        try {
            nanos = Long.parseLong(parts[1]);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("Malformed time in chaos log line at " + origin + ": '" + text + "'");
        }
        List<String> fields = List.of(parts).subList(2, parts.length);
        int expected = switch (type) {
            case 'W' -> 5;
            case 'I' -> 2;
            case 'B' -> 5;
            case 'D' -> 7;
            case 'C' -> 4;
            case 'E' -> 5;
            case 'T' -> 4;
            case 'S' -> 3;
            case 'P' -> -2;
            case 'Q', 'A' -> -1;
            default -> throw new IllegalArgumentException("Unknown chaos log line type at " + origin + ": '" + text + "'");
        };
        boolean ok = expected >= 0 ? fields.size() == expected : fields.size() >= -expected;
        if (!ok) {
            throw new IllegalArgumentException("Chaos log line at " + origin + " has " + fields.size()
                    + " fields: '" + text + "'");
        }
        return new LogLine(type, nanos, fields, origin, text);
    }

    public String field(int index) {
        return fields.get(index);
    }

    /** For processor lines: the tenure ({@code worker/n}). */
    public String tenure() {
        return fields.get(0);
    }

    /** For processor lines: the worker process of the tenure. */
    public String worker() {
        String first = fields.get(0);
        int slash = first.indexOf('/');
        return slash < 0 ? first : first.substring(0, slash);
    }

    /** For processor lines: the shard. */
    public String shard() {
        return fields.get(1);
    }

    /** For B, D, C, E and T lines: the tenure's batch number. */
    public int batch() {
        return Integer.parseInt(fields.get(2));
    }

    /** The line with where it came from, for reports. */
    public String quote() {
        return origin + ": " + text;
    }
}
