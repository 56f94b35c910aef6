package dev.kclboot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPU a benchmark ran on, for its "machine" line: the first {@code model name} of {@code /proc/cpuinfo}. */
public final class CpuModel {

    private CpuModel() {
    }

    /** The model name, or "unknown CPU" where {@code /proc/cpuinfo} is missing or says none. */
    public static String describe() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        }
        catch (IOException | RuntimeException ex) {
            return "unknown CPU";
        }
    }
}
