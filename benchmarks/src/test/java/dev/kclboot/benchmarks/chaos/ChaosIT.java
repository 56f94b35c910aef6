package dev.kclboot.benchmarks.chaos;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short chaos run of CI ({@link ChaosSettings#ci()}, about two minutes): three worker JVMs, ~4,500 ids over 50
 * keys, 10 % of SDK calls faulted, a split, a kill -9, a merge of the split's children, a graceful restart, a 12 s
 * DynamoDB outage and a split of the merged shard. First it checks that the harness did what it says (so a pass
 * means something), then that every rule of the checker held. {@code -Dchaos.*} properties override the settings
 * (e.g. {@code -Dchaos.seed=7}).
 */
class ChaosIT {

    @Test
    void everyAcknowledgedIdArrivesInKeyOrderWithOnlyExplainedDuplicatesThroughChaos() throws Exception {
        ChaosSettings settings = ChaosSettings.parse(System.getProperties(), ChaosSettings.ci());
        ChaosRun.Outcome outcome = new ChaosRun(settings).run();
        ChaosReport report = outcome.report();
        String details = "\nactions: " + outcome.actions() + "\n" + report.format() + "logs: " + outcome.dir();
        System.out.println(details);

        // The harness did its part: otherwise the verdict below would mean nothing.
        assertThat(outcome.harnessProblems()).as(details).isEmpty();
        assertThat(report.written()).as("ids acknowledged by the producer").isGreaterThan(2000);
        assertThat(report.deliveries()).as("deliveries").isGreaterThanOrEqualTo(report.written() - report.lost().count());
        assertThat(report.faultsInjected().keySet()).as("faults were injected").anyMatch(name -> !name.equals("calls"));
        List<String> actions = outcome.actions();
        assertThat(actions).as("chaos performed").anyMatch(a -> a.startsWith("kill -9"))
                .anyMatch(a -> a.startsWith("graceful stop")).anyMatch(a -> a.startsWith("DynamoDB down"))
                .anyMatch(a -> a.startsWith("merge"));
        assertThat(actions.stream().filter(a -> a.startsWith("split")).count()).as("splits").isGreaterThanOrEqualTo(2);

        // The engine's promises.
        assertThat(report.violations()).as(details).isEmpty();
    }
}
