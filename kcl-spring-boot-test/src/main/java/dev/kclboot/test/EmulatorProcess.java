package dev.kclboot.test;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One emulator running as a child process of this JVM on a loopback port: started through {@code launch.js} (which
 * exits when this JVM dies), considered ready once it answers any HTTP request, stopped with its descendants.
 */
final class EmulatorProcess {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;

    private final Process process;

    private final URI endpoint;

    private final Path log;

    private EmulatorProcess(String name, Process process, URI endpoint, Path log) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /**
     * Starts {@code node launch.js <entry> <args>} and waits until {@code http://127.0.0.1:port} answers.
     */
    static EmulatorProcess start(String name, NodeRuntime node, Path home, String entry, List<String> args,
            Map<String, String> environment, int port) {
        List<String> command = new ArrayList<>(List.of(node.node(), home.resolve("launch.js").toString(),
                home.resolve("node_modules").resolve(entry).toString()));
        command.addAll(args);
        Path log = home.resolve("logs").resolve(name + "-" + port + ".log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            EmulatorProcess emulator = new EmulatorProcess(name, process, URI.create("http://127.0.0.1:" + port), log);
            emulator.awaitReady();
            return emulator;
        }
        catch (IOException ex) {
            throw new EmulatorException("Could not start " + name + ": " + ex.getMessage(), ex);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new EmulatorException(name + " exited at start (exit " + process.exitValue() + "):\n" + logText());
            }
            if (answers()) {
                return;
            }
            sleep(25);
        }
        stop();
        throw new EmulatorException(name + " did not answer on " + endpoint + " within " + START_TIMEOUT + ":\n" + logText());
    }

    private boolean answers() {
        return answers(endpoint);
    }

    static boolean answers(URI endpoint) {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode() > 0;
            }
            finally {
                connection.disconnect();
            }
        }
        catch (IOException ex) {
            return false;
        }
    }

    URI endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Stops the process and its descendants, forcibly after a grace period; returns once it is gone. Closing its
     * stdin comes first: launch.js exits at once on that, whatever handlers the emulator installed for SIGTERM (one
     * that takes seconds would hold up the application's exit, and {@code spring-boot:run} kills an application
     * that is not gone 5 s after Ctrl-C).
     */
    void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            process.getOutputStream().close();
        }
        catch (IOException ex) {
            // Already closed: the signal below ends it.
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private String logText() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
        }
        catch (IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new EmulatorException("No free loopback port: " + ex.getMessage(), ex);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EmulatorException("Interrupted while waiting for an emulator", ex);
        }
    }
}
