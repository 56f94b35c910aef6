package dev.kclboot.benchmarks.chaos;

import dev.kclboot.benchmarks.Watchdog;

/**
 * The long chaos run (a main, like {@code ThroughputBenchmark}): the same harness as {@code ChaosIT} with settings
 * from {@code -Dchaos.<name>=value} system properties over {@link ChaosSettings#LONG} (10 minutes, 3 workers, 10 %
 * faults, a seeded schedule). Prints the report (lost, duplicates explained / unexplained / per move, re-reads, order
 * violations, recovery times, faults) and keeps the logs in the run's directory. Run it with
 * {@code benchmarks/chaos.sh -Dchaos.duration=30m}.
 * <p>
 * Exit code 0 when every rule held, 1 when one was broken or the harness had a problem, 2 for bad settings, 3 when
 * the run hung.
 */
public final class ChaosBenchmark {

    private ChaosBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        ChaosSettings settings;
        try {
            if (args.length > 0) {
                throw new IllegalArgumentException("Settings are system properties, e.g. -Dchaos.duration=30m\n"
                        + ChaosSettings.usage());
            }
            settings = ChaosSettings.parse(System.getProperties(), ChaosSettings.LONG);
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        Watchdog.start("chaos", settings.duration().plus(settings.drainTimeout()).plusMinutes(5));
        ChaosRun.Outcome outcome = new ChaosRun(settings).run();
        System.out.println();
        System.out.println("Actions: " + String.join("; ", outcome.actions()));
        System.out.println(outcome.report().format());
        outcome.harnessProblems().forEach(problem -> System.out.println("HARNESS PROBLEM: " + problem));
        System.out.println("Wall time " + outcome.wallTime().toSeconds() + " s; logs and report.txt in "
                + outcome.dir().toAbsolutePath());
        System.exit(outcome.problems().isEmpty() ? 0 : 1);
    }

}
