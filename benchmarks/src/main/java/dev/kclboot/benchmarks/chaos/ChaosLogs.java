package dev.kclboot.benchmarks.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The parsed logs of one chaos run: the producer's acknowledged writes, every worker process's lines merged into one
 * time order, and the orchestrator's actions. {@link #parse} is pure (hand-made logs in tests); {@link #read} reads a
 * run directory ({@code producer.log}, {@code actions.log}, {@code w*.log}).
 * <p>
 * Lines of one file are in time order by construction ({@link LineLog}); lines of different files are merged by
 * time, ties broken by file name and line number so that the order is deterministic.
 */
public final class ChaosLogs {

    /** The producer's log file in a run directory. */
    public static final String PRODUCER = "producer.log";

    /** The orchestrator's log file in a run directory. */
    public static final String ACTIONS = "actions.log";

    private final List<LogLine> writes;

    private final List<LogLine> workerLines;

    private final List<LogLine> actions;

    private ChaosLogs(List<LogLine> writes, List<LogLine> workerLines, List<LogLine> actions) {
        this.writes = writes;
        this.workerLines = workerLines;
        this.actions = actions;
    }

    /**
     * Parses the lines of a run.
     * @param producer the producer's lines ({@code W}), in the order written
     * @param workers each worker log's name and lines
     * @param actions the orchestrator's lines ({@code A})
     * @throws IllegalArgumentException for a malformed line (a harness bug), naming file and line
     */
    public static ChaosLogs parse(List<String> producer, Map<String, List<String>> workers, List<String> actions) {
        List<LogLine> writes = parseFile(PRODUCER, producer, "W");
        List<LogLine> workerLines = new ArrayList<>();
        new TreeMap<>(workers).forEach((name, lines) -> workerLines.addAll(parseFile(name, lines, "IBDCETSPQ")));
        // Stable sort: same time → file name order, then line order (parseFile keeps it).
        workerLines.sort(Comparator.comparingLong(LogLine::nanos));
        return new ChaosLogs(writes, List.copyOf(workerLines), parseFile(ACTIONS, actions, "A"));
    }

    /** Reads and parses the logs of a run directory. */
    public static ChaosLogs read(Path dir) {
        Map<String, List<String>> workers = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("w\\d+\\.\\d+\\.log")).sorted()
                    .toList()) {
                workers.put(file.getFileName().toString(), lines(file));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot list " + dir, ex);
        }
        return parse(lines(dir.resolve(PRODUCER)), workers, lines(dir.resolve(ACTIONS)));
    }

    /** {@code W} lines, in write order. */
    public List<LogLine> writes() {
        return writes;
    }

    /** Every line of every worker process, in time order. */
    public List<LogLine> workerLines() {
        return workerLines;
    }

    /** {@code A} lines, in time order. */
    public List<LogLine> actions() {
        return actions;
    }

    /** Ids the producer had acknowledged that no worker delivered (yet). */
    public Set<String> undeliveredIds() {
        Set<String> missing = new HashSet<>();
        for (LogLine write : writes) {
            missing.add(write.field(1));
        }
        for (LogLine line : workerLines) {
            if (line.type() == 'D') {
                missing.remove(line.field(5));
            }
        }
        return missing;
    }

    private static List<LogLine> parseFile(String name, List<String> lines, String types) {
        List<LogLine> parsed = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isEmpty()) {
                continue;
            }
            LogLine line = LogLine.parse(text, name + ":" + (i + 1));
            if (types.indexOf(line.type()) < 0) {
                throw new IllegalArgumentException("A '" + line.type() + "' line does not belong in " + name + ": "
                        + line.quote());
            }
            parsed.add(line);
        }
        return parsed;
    }

    private static List<String> lines(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            // A last line without its newline would be a torn write, which one write(2) per line rules out: keep it
            // so that parsing says where it is instead of silently dropping it.
            return List.of(content.split("\n", -1)).stream().filter(line -> !line.isEmpty()).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + file, ex);
        }
    }
}
