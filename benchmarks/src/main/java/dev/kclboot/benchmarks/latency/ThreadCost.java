package dev.kclboot.benchmarks.latency;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The CPU time and allocations of the threads a contender started (its worker's pools, its HTTP client's event
 * loops, its polling threads), between two instants. JIT compiler and garbage collector threads, the writer and the
 * emulators' log pumps existed before the contender, so they are not counted: what a mode costs the application's
 * threads, with the garbage it makes shown as bytes allocated. Threads are sampled every 100 ms so that one ending
 * (an elastic pool shrinking) takes at most its last 100 ms with it.
 */
final class ThreadCost implements AutoCloseable {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    private final Set<Long> excluded;

    private volatile long alsoExcluded = -1;

    private final Map<Long, long[]> latest = new HashMap<>();

    private final Map<Long, String> names = new HashMap<>();

    private final Thread sampler;

    private volatile boolean running = true;

    /** Counts only threads that do not exist yet (nor the sampler itself). */
    ThreadCost() {
        if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
        this.excluded = Set.copyOf(java.util.Arrays.stream(THREADS.getAllThreadIds()).boxed().toList());
        this.sampler = new Thread(this::sampleEvery100Millis, "thread-cost-sampler");
        this.sampler.setDaemon(true);
        this.sampler.start();
    }

    /** Leaves out a thread started after this (the writer's). */
    void exclude(Thread thread) {
        alsoExcluded = thread.getId();
        synchronized (this) {
            latest.remove(thread.getId());
        }
    }

    /** CPU nanoseconds and allocated bytes of the counted threads so far (each thread's last sample). */
    synchronized long[] totals() {
        sample();
        long cpu = 0;
        long allocated = 0;
        for (long[] values : latest.values()) {
            cpu += values[0];
            allocated += values[1];
        }
        return new long[] { cpu, allocated };
    }

    /** The counted threads using most CPU so far, "name: ms", for diagnosis. */
    synchronized String busiest(int count) {
        sample();
        return latest.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(count)
                .map(entry -> names.get(entry.getKey()) + " " + entry.getValue()[0] / 1_000_000 + " ms")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private void sampleEvery100Millis() {
        while (running) {
            synchronized (this) {
                sample();
            }
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void sample() {
        long[] ids = THREADS.getAllThreadIds();
        long[] allocated = THREADS.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (excluded.contains(ids[i]) || ids[i] == sampler.getId() || ids[i] == alsoExcluded) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (cpu >= 0 && allocated[i] >= 0) {
                latest.put(ids[i], new long[] { cpu, allocated[i] });
                names.computeIfAbsent(ids[i], id -> {
                    java.lang.management.ThreadInfo info = THREADS.getThreadInfo(id);
                    return info == null ? "thread-" + id : info.getThreadName();
                });
            }
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
