package dev.kclboot.benchmarks.scale;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts platform threads: of the whole JVM (the {@link ThreadMXBean}'s live count: the benchmark's own threads, the
 * SDK clients', the JVM's, the workers') and of each worker's engine (the threads made by the factory that worker was
 * given through {@code Worker.Builder.threadFactory}, kept in a thread group of its own). A sampler thread reads both
 * every {@code period} while a window is open; a window reports the peak and the median of its samples.
 */
final class ThreadCensus implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Peak and median of the samples of one window, and the peak of its second half ({@code settledPeak}: the
     * engine's pools keep idle threads for 30 s after a burst such as taking, so the second half of a long window
     * shows what a settled worker keeps); per worker: its engine's threads (peak over the window, and in the second
     * half); {@code names}: the JVM's threads by name (digits dropped) at the end of the window.
     */
    record Window(int jvmPeak, int jvmMedian, int jvmSettledPeak, Map<String, Integer> workerPeaks,
            Map<String, Integer> workerSettledPeaks, int samples, Map<String, Integer> names) {

    }

    private final Map<String, ThreadGroup> groups = new ConcurrentHashMap<>();

    private final Thread sampler;

    private final long periodMillis;

    private volatile boolean running = true;

    /** One reading: the JVM's threads and each worker's engine threads. */
    private record Sample(int jvm, Map<String, Integer> workers) {
    }

    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

    private volatile boolean open;

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

    /** A factory for one worker's engine threads (daemon threads named {@code <worker>-<n>} in its own group). */
    ThreadFactory factoryFor(String workerId) {
        ThreadGroup group = groups.computeIfAbsent(workerId, id -> new ThreadGroup("scale-" + id));
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(group, runnable, workerId + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Live engine threads of a worker now. */
    int workerThreads(String workerId) {
        ThreadGroup group = groups.get(workerId);
        return group == null ? 0 : group.activeCount();
    }

    /** Starts a window (the previous one's samples are dropped). */
    void open() {
        samples.clear();
        open = true;
    }

    /** Ends the window and reports it. */
    Window close(boolean keepOpen) {
        sampleOnce();
        open = keepOpen;
        List<Sample> taken;
        synchronized (samples) {
            taken = new ArrayList<>(samples);
        }
        List<Sample> secondHalf = taken.subList(taken.size() / 2, taken.size());
        List<Integer> sorted = new ArrayList<>(taken.stream().map(Sample::jvm).toList());
        Collections.sort(sorted);
        int peak = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
        int median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        int settled = secondHalf.stream().mapToInt(Sample::jvm).max().orElse(0);
        return new Window(peak, median, settled, workerPeaks(taken), workerPeaks(secondHalf), taken.size(), byName());
    }

    private static Map<String, Integer> workerPeaks(List<Sample> taken) {
        Map<String, Integer> peaks = new java.util.TreeMap<>();
        taken.forEach(sample -> sample.workers().forEach((worker, n) -> peaks.merge(worker, n, Math::max)));
        peaks.values().removeIf(n -> n == 0); // Workers of earlier runs.
        return peaks;
    }

    /** Live threads by name with digits dropped ({@code worker-a-#}, {@code sdk-ScheduledExecutor-#-#}...). */
    static Map<String, Integer> byName() {
        Map<String, Integer> names = new java.util.TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            names.merge(thread.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
        }
        return names;
    }

    private void sample() {
        while (running) {
            if (open) {
                sampleOnce();
            }
            try {
                Thread.sleep(periodMillis);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void sampleOnce() {
        Map<String, Integer> workers = new java.util.TreeMap<>();
        groups.forEach((worker, group) -> workers.put(worker, group.activeCount()));
        samples.add(new Sample(jvmThreads(), workers));
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
