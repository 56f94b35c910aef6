package dev.kclboot.benchmarks.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts platform threads: of the whole JVM (the benchmark's own threads, the SDK clients', the JVM's, the workers')
 * and of the workers' engines, recognised by the names the engine gives its threads ({@code kcl-<application>-<role>-<n>}:
 * control, renewer, timer, renewal, shard, fetch). With two workers of one application in this JVM their engine
 * threads add up. A sampler thread reads the counts every {@code period} while a window is open (names only, no stack
 * traces); a window reports the peak, the median and the peak of its second half.
 */
final class ThreadCensus implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * One window. {@code jvmSettledPeak} and {@code engineSettledPeak} are the peaks of its second half: the engine's
     * pools keep an idle thread for 5 s after a burst (taking, a rebalance), so the second half of a 90 s steady
     * phase shows what a settled worker keeps. {@code engineRoles}: the engine's threads per role at the sample of the
     * second half with the most engine threads; {@code others}: the JVM's other threads by name (digits dropped) then.
     */
    record Window(int jvmPeak, int jvmMedian, int jvmSettledPeak, int enginePeak, int engineSettledPeak,
            Map<String, Integer> engineRoles, Map<String, Integer> others, int samples) {

        static final Window NONE = new Window(0, 0, 0, 0, 0, Map.of(), Map.of(), 0);
    }

    /** One reading. */
    private record Sample(int jvm, int engine, Map<String, Integer> roles, Map<String, Integer> others) {
    }

    private final Thread sampler;

    private final long periodMillis;

    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

    private volatile boolean running = true;

    private volatile String enginePrefix;

    ThreadCensus(long periodMillis) {
        this.periodMillis = periodMillis;
        this.sampler = new Thread(this::sample, "scale-thread-census");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Live platform threads of the JVM now. */
    static int jvmThreads() {
        return THREADS.getThreadCount();
    }

    /** Starts a window for the engine threads of an application (the previous window's samples are dropped). */
    void open(String application) {
        samples.clear();
        enginePrefix = "kcl-" + application + "-";
    }

    /** Ends the window and reports it. */
    Window closeWindow() {
        String prefix = enginePrefix;
        if (prefix == null) {
            return Window.NONE;
        }
        samples.add(read(prefix));
        enginePrefix = null;
        List<Sample> taken;
        synchronized (samples) {
            taken = new ArrayList<>(samples);
        }
        List<Sample> secondHalf = taken.subList(taken.size() / 2, taken.size());
        List<Integer> sorted = new ArrayList<>(taken.stream().map(Sample::jvm).toList());
        Collections.sort(sorted);
        Sample busiest = secondHalf.stream().max(java.util.Comparator.comparingInt(Sample::engine)).orElseThrow();
        return new Window(sorted.get(sorted.size() - 1), sorted.get(sorted.size() / 2),
                secondHalf.stream().mapToInt(Sample::jvm).max().orElse(0),
                taken.stream().mapToInt(Sample::engine).max().orElse(0),
                secondHalf.stream().mapToInt(Sample::engine).max().orElse(0), busiest.roles(), busiest.others(),
                taken.size());
    }

    private void sample() {
        while (running) {
            String prefix = enginePrefix;
            if (prefix != null) {
                samples.add(read(prefix));
            }
            try {
                Thread.sleep(periodMillis);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private static Sample read(String prefix) {
        Map<String, Integer> roles = new TreeMap<>();
        Map<String, Integer> others = new TreeMap<>();
        int engine = 0;
        int jvm = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0)) {
            if (info == null) {
                continue; // Ended meanwhile.
            }
            jvm++;
            String name = info.getThreadName();
            if (name.startsWith(prefix)) {
                engine++;
                roles.merge(name.substring(prefix.length()).replaceAll("-[0-9]+$", ""), 1, Integer::sum);
            }
            else {
                others.merge(name.replaceAll("[0-9]+", "#"), 1, Integer::sum);
            }
        }
        return new Sample(jvm, engine, roles, others);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
