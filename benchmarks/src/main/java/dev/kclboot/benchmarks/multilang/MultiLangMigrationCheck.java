package dev.kclboot.benchmarks.multilang;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kclboot.test.LocalKinesis;

/**
 * Moves one MultiLang application between the KCL's MultiLangDaemon and kcl-multilang and back, on one lease table:
 * daemon, then this host, then the daemon again, each stopped with SIGTERM after its records are checkpointed. Each
 * host's children must start at the checkpoints the previous one left (the {@code initialize} message carries them)
 * and deliver none of the records the previous one checkpointed. Prints PASS or FAIL per step; exits 1 on a failure.
 * Run by {@code benchmarks/run-multilang.sh --migration}.
 */
public final class MultiLangMigrationCheck {

    private MultiLangMigrationCheck() {
    }

    public static void main(String[] args) throws Exception {
        Contender ours = Contender.ours(Path.of(Rig.required("bench.jar")));
        Contender daemon = Contender.daemon(Rig.required("bench.daemon.classpath"));
        Path work = Files.createDirectories(Path.of(System.getProperty("bench.work", "target/multilang-bench")));
        List<String> failures = new ArrayList<>();
        try (LocalKinesis local = LocalKinesis.start()) {
            Rig rig = new Rig(local, work, Path.of(Rig.required("bench.processor")).toAbsolutePath());
            String stream = local.createStream(2);
            String application = LocalKinesis.uniqueName("migrate");
            rig.createKcl3LeaseTable(application);
            String[] prefixes = { "a", "b", "c" };
            Contender[] hosts = { daemon, ours, daemon };
            Map<String, String> before = Map.of();
            for (int step = 0; step < hosts.length; step++) {
                String prefix = prefixes[step];
                rig.put(stream, prefix, 40);
                Path eventsPath = rig.file("migration-" + step + ".log");
                Files.deleteIfExists(eventsPath);
                EventsFile events = new EventsFile(eventsPath);
                Path properties = rig.writeProperties("migration-" + step, application, stream, eventsPath);
                Process process = rig.launch(hosts[step], properties, rig.file("migration-host-" + step + ".log"));
                try {
                    Rig.awaitNanos(() -> events.committed(prefix + "-") == 40, process);
                    process.destroy();
                    process.waitFor(Rig.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                }
                finally {
                    process.destroyForcibly();
                }
                check(step, hosts[step], before, events, step == 0 ? null : prefixes[step - 1], failures);
                before = rig.checkpoints(application);
                System.out.println("after step " + (step + 1) + " (" + hosts[step].name() + "): checkpoints " + before);
            }
        }
        System.out.println(failures.isEmpty() ? "PASS: the application moved daemon -> kcl-multilang -> daemon"
                : "FAIL: " + failures);
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** The children started at the previous host's checkpoints and did not deliver what it had checkpointed. */
    private static void check(int step, Contender host, Map<String, String> before, EventsFile events,
            String previousPrefix, List<String> failures) {
        if (previousPrefix == null) {
            return;
        }
        for (String line : events.lines()) {
            String[] parts = line.split(" ");
            if (parts.length >= 5 && parts[2].equals("INIT")) {
                String expected = before.get(parts[1]);
                String result = parts[3].equals(expected) ? "PASS" : "FAIL";
                System.out.println(result + ": step " + (step + 1) + " " + host.name() + " initialized " + parts[1]
                        + " at " + parts[3] + " (checkpoint left: " + expected + ")");
                if (result.equals("FAIL")) {
                    failures.add(host.name() + " " + parts[1] + " at " + parts[3] + " instead of " + expected);
                }
            }
        }
        boolean redelivered = events.delivered(previousPrefix + "-");
        System.out.println((redelivered ? "FAIL" : "PASS") + ": step " + (step + 1) + " " + host.name()
                + (redelivered ? " delivered records" : " delivered none of the records") + " the previous host checkpointed");
        if (redelivered) {
            failures.add(host.name() + " redelivered checkpointed records");
        }
    }
}
