package dev.kclboot.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the pinned npm packages (package.json + package-lock.json shipped in this jar) with {@code npm ci}
 * into a cache folder keyed by the lockfile's hash, once per machine. A file lock keeps concurrent JVMs
 * (parallel test forks, a second sample app) from installing over each other.
 */
final class EmulatorInstaller {

    private static final Logger logger = LoggerFactory.getLogger(EmulatorInstaller.class);

    private static final String RESOURCES = "/dev/kclboot/test/emulators/";

    private static final List<String> FILES = List.of("package.json", "package-lock.json", "launch.js");

    private static final String MARKER = ".installed";

    private EmulatorInstaller() {
    }

    /** Returns the folder holding {@code node_modules} and {@code launch.js}, installing it first if needed. */
    static Path install(NodeRuntime node) {
        byte[] lock = resource("package-lock.json");
        Path home = LocalSettings.emulatorsHome().resolve(shortHash(lock));
        try {
            Files.createDirectories(home);
            try (FileChannel channel = FileChannel.open(home.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                if (!Files.exists(home.resolve(MARKER))) {
                    for (String file : FILES) {
                        Files.write(home.resolve(file), resource(file));
                    }
                    runNpmCi(node, home);
                    Files.writeString(home.resolve(MARKER), node.version());
                }
                else {
                    // launch.js may change without the lockfile changing.
                    Files.write(home.resolve("launch.js"), resource("launch.js"));
                }
            }
        }
        catch (IOException ex) {
            throw new EmulatorException("Could not prepare the emulators in " + home + ": " + ex.getMessage(), ex);
        }
        return home;
    }

    private static void runNpmCi(NodeRuntime node, Path home) throws IOException {
        List<String> command = new ArrayList<>(node.npmCommand());
        command.addAll(List.of("ci", "--no-audit", "--no-fund", "--loglevel=error"));
        logger.info("Installing the Kinesis and DynamoDB emulators into {} (npm ci, once per machine)", home);
        Path log = home.resolve("npm-ci.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Path nodeDir = Path.of(node.node()).toAbsolutePath().getParent();
        if (nodeDir != null && Path.of(node.node()).getParent() != null) {
            // npm's scripts run 'node' from the PATH: make it the same node.
            builder.environment().merge("PATH", nodeDir.toString(), (old, dir) -> dir + java.io.File.pathSeparator + old);
        }
        Process process = builder.start();
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new EmulatorException("npm ci timed out in " + home + "; see " + log);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EmulatorException("Interrupted while installing the emulators", ex);
        }
        if (process.exitValue() != 0) {
            throw new EmulatorException("npm ci failed in " + home + " (exit " + process.exitValue()
                    + "); it needs access to the npm registry. Output:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = EmulatorInstaller.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + RESOURCES + name);
            }
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String shortHash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 6);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
