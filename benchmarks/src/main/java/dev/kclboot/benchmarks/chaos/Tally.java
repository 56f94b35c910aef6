package dev.kclboot.benchmarks.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * A count and the first few pieces of evidence behind it (log lines with where they came from), for a report.
 */
public final class Tally {

    /** How many examples a tally keeps. */
    public static final int EXAMPLES = 5;

    private long count;

    private final List<String> examples = new ArrayList<>();

    /** Counts one occurrence, keeping its evidence if it is among the first few. */
    public void add(String evidence) {
        count++;
        if (examples.size() < EXAMPLES) {
            examples.add(evidence);
        }
    }

    public long count() {
        return count;
    }

    public List<String> examples() {
        return List.copyOf(examples);
    }

    @Override
    public String toString() {
        return String.valueOf(count);
    }
}
