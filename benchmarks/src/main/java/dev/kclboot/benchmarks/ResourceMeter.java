package dev.kclboot.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Measures what a phase of the benchmark cost: CPU of this JVM and of the emulator processes (from
 * {@code /proc/<pid>/stat}, Linux only), bytes allocated by this JVM's threads, and garbage collections.
 */
public final class ResourceMeter {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final long CLOCK_TICKS = clockTicks();

    private final OptionalLong kinesisPid;

    private final OptionalLong dynamoDbPid;

    ResourceMeter(OptionalLong kinesisPid, OptionalLong dynamoDbPid) {
        this.kinesisPid = kinesisPid;
        this.dynamoDbPid = dynamoDbPid;
        if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
    }

    Snapshot snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        long[] allocated = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, Long> perThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (allocated[i] >= 0) {
                perThread.put(ids[i], allocated[i]);
            }
        }
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new Snapshot(System.nanoTime(), OS.getProcessCpuTime(), cpuNanos(kinesisPid), cpuNanos(dynamoDbPid),
                machineBusyNanos(), perThread, gcCount, gcMillis);
    }

    /** CPU time all processes of the machine have used so far (all cores, from /proc/stat), or -1. */
    public static long machineBusyNanos() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
            String[] fields = line.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...: busy = everything but idle and iowait.
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy * 1_000_000_000L / CLOCK_TICKS;
        }
        catch (IOException | RuntimeException ex) {
            return -1;
        }
    }

    /** CPU time (user + system) a process has used so far, or -1 when it cannot be read. */
    public static long cpuNanos(OptionalLong pid) {
        if (pid.isEmpty()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid.getAsLong()), "stat"),
                    StandardCharsets.US_ASCII);
            // Fields after the command name (which is in parentheses and may hold spaces): state is field 3.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime (14), stime (15)
            return ticks * 1_000_000_000L / CLOCK_TICKS;
        }
        catch (IOException | RuntimeException ex) {
            return -1;
        }
    }

    private static long clockTicks() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            process.waitFor();
            return Long.parseLong(out);
        }
        catch (IOException | RuntimeException ex) {
            return 100;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** The counters at one instant. */
    record Snapshot(long nanos, long jvmCpuNanos, long kinesisCpuNanos, long dynamoDbCpuNanos, long machineBusyNanos,
            Map<Long, Long> allocatedPerThread, long gcCount, long gcMillis) {

        /** What happened between {@code this} (earlier) and {@code later}. */
        Usage until(Snapshot later) {
            long allocated = 0;
            for (Map.Entry<Long, Long> entry : later.allocatedPerThread.entrySet()) {
                // A thread born during the phase counts from 0; threads that died during it are not counted.
                allocated += Math.max(0, entry.getValue() - allocatedPerThread.getOrDefault(entry.getKey(), 0L));
            }
            long kinesis = diff(kinesisCpuNanos, later.kinesisCpuNanos);
            long dynamoDb = diff(dynamoDbCpuNanos, later.dynamoDbCpuNanos);
            long machine = diff(machineBusyNanos, later.machineBusyNanos);
            long others = (machine < 0 || kinesis < 0 || dynamoDb < 0) ? -1
                    : Math.max(0, machine - (later.jvmCpuNanos - jvmCpuNanos) - kinesis - dynamoDb);
            return new Usage(later.nanos - nanos, later.jvmCpuNanos - jvmCpuNanos, kinesis, dynamoDb, others,
                    allocated, later.gcCount - gcCount, later.gcMillis - gcMillis);
        }

        private static long diff(long before, long after) {
            return (before < 0 || after < 0) ? -1 : after - before;
        }
    }

    /** The cost of one phase. CPU figures are -1 when unknown. */
    record Usage(long wallNanos, long jvmCpuNanos, long kinesisCpuNanos, long dynamoDbCpuNanos, long otherCpuNanos,
            long allocatedBytes, long gcCount, long gcMillis) {

        /** Cores used by processes outside this benchmark (other sessions' builds), on average; -1 when unknown. */
        double otherCores() {
            return otherCpuNanos < 0 ? -1 : otherCpuNanos / (double) Math.max(1, wallNanos);
        }

        /** CPU of each process (seconds and share of one core over the phase), allocation, collections. */
        String describe(long records) {
            StringBuilder text = new StringBuilder();
            text.append("cpu: jvm ").append(cpu(jvmCpuNanos));
            text.append(", kinesalite ").append(cpu(kinesisCpuNanos));
            text.append(", dynalite ").append(cpu(dynamoDbCpuNanos));
            text.append(", other processes ").append(cpu(otherCpuNanos));
            text.append("; alloc ").append(Figures.bytes(allocatedBytes));
            if (records > 0) {
                text.append(" (").append(Figures.bytes(allocatedBytes / records)).append("/record)");
            }
            text.append("; gc ").append(gcCount).append("x ").append(gcMillis).append(" ms");
            return text.toString();
        }

        private String cpu(long nanos) {
            if (nanos < 0) {
                return "n/a";
            }
            return String.format("%.1f s (%.0f%% of a core)", nanos / 1e9, 100.0 * nanos / Math.max(1, wallNanos));
        }
    }
}
