package dev.kclboot.benchmarks;

import java.time.Duration;

/**
 * Ends a benchmark's JVM (and with it the emulators, through LocalKinesis's shutdown hook) if the run hangs, so a
 * stuck benchmark never holds the machine: one daemon thread that exits the JVM with status 3 after the limit.
 */
public final class Watchdog {

    private Watchdog() {
    }

    /**
     * Starts the watchdog.
     * @param benchmark names the thread ({@code <benchmark>-watchdog}) and the message on exit
     * @param limit how long the run may take
     */
    public static void start(String benchmark, Duration limit) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
                System.err.println(benchmark + " benchmark did not finish within " + limit + "; exiting");
                System.exit(3);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, benchmark + "-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
