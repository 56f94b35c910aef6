package dev.kclboot.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl-C on the sample as {@code ./mvnw ... spring-boot:run} runs it: the sample runs in its own JVM (as the plugin
 * forks it) in local mode, and SIGINT goes to it and to its emulators (a terminal sends it to the whole process
 * group). The sample must stop cleanly, releasing its leases while the emulators still answer, and be gone within
 * the 5 s the Maven plugin waits before it kills the application (which then ends in exit code 143 and BUILD
 * FAILURE): exit code 130, which the plugin accepts.
 */
class SampleStopIT {

    /** spring-boot:run kills the application when it is still alive this long after SIGINT. */
    private static final long PLUGIN_GRACE_SECONDS = 5;

    private Process sample;

    @AfterEach
    void killLeftovers() {
        if (sample != null && sample.isAlive()) {
            sample.descendants().forEach(ProcessHandle::destroyForcibly);
            sample.destroyForcibly();
        }
    }

    @Test
    void sigintStopsTheSampleCleanlyWithinTheMavenPluginsGrace() throws Exception {
        List<String> command = new ArrayList<>();
        if (sigintIgnored()) {
            // Started from a shell that ignores SIGINT (a background job, some CI runners): children inherit that,
            // so reset it as a terminal would have it.
            command.addAll(List.of("python3", "-c", "import os, signal, sys; "
                    + "signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classPath(), SampleApplication.class.getName(), "--server.port=0",
                "--sample.local-mode=true", "--sample.local.kinesis-port=0", "--sample.local.dynamodb-port=0",
                "--sample.report-interval=1s", "--spring.main.banner-mode=off"));
        sample = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> readLines(sample, output), "sample-output");
        reader.setDaemon(true);
        reader.start();

        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> matches(output, ".*consumed [1-9]\\d* records.*")
                    || !sample.isAlive());
        }
        catch (org.awaitility.core.ConditionTimeoutException ex) {
            throw new AssertionError("no records consumed; output:\n" + String.join("\n", output), ex);
        }
        assertThat(sample.isAlive()).as("the sample runs; output:%n%s", String.join("\n", output)).isTrue();
        List<ProcessHandle> emulators = sample.descendants().toList();
        assertThat(emulators).isNotEmpty();
        signal("INT", sample.pid());
        for (ProcessHandle emulator : emulators) {
            signal("INT", emulator.pid());
        }

        boolean exited = sample.waitFor(PLUGIN_GRACE_SECONDS, TimeUnit.SECONDS);
        String text = String.join("\n", output);
        assertThat(exited).as("gone within %ss of SIGINT; output:%n%s", PLUGIN_GRACE_SECONDS, text).isTrue();
        assertThat(sample.exitValue()).as(text).isEqualTo(130);
        reader.join(5_000);
        text = String.join("\n", output);
        assertThat(text).contains("Local mode: starting kinesis-local").contains("Released lease shardId-")
                .containsPattern("Worker \\S+ stopped").doesNotContain("Could not release lease")
                .doesNotContain("did not stop within");
        await().atMost(Duration.ofSeconds(10)).until(() -> emulators.stream().noneMatch(ProcessHandle::isAlive));
    }

    /** The test class path: surefire puts it here (java.class.path is only its booter jar). */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return (surefire != null && !surefire.isBlank()) ? surefire : System.getProperty("java.class.path");
    }

    private static boolean matches(List<String> output, String regex) {
        synchronized (output) {
            return output.stream().anyMatch(line -> line.matches(regex));
        }
    }

    private static void readLines(Process process, List<String> output) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        }
        catch (IOException ex) {
            output.add("(output ended: " + ex + ")");
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    /** Whether this JVM ignores SIGINT (bit 2 of SigIgn in /proc/self/status), which its children would inherit. */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2L) != 0;
            }
        }
        return false;
    }
}
