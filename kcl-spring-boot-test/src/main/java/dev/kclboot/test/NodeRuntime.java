package dev.kclboot.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js that runs the emulators: found, version-checked (18 or newer), with the matching {@code npm}.
 */
final class NodeRuntime {

    static final int MINIMUM_MAJOR_VERSION = 18;

    private final String node;

    private final String version;

    private NodeRuntime(String node, String version) {
        this.node = node;
        this.version = version;
    }

    /**
     * Finds {@code node} from {@code kcl.test.node} / {@code KCL_TEST_NODE}, else on the PATH.
     * @throws EmulatorException when it is missing or older than Node.js 18, saying how to fix that
     */
    static NodeRuntime locate() {
        String configured = LocalSettings.get(LocalSettings.NODE);
        return locate(configured != null ? configured : "node");
    }

    static NodeRuntime locate(String node) {
        String version;
        try {
            Process process = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new EmulatorException(missingMessage(node, "'" + node + " --version' failed: " + version));
            }
        }
        catch (IOException ex) {
            throw new EmulatorException(missingMessage(node, "it could not be run (" + ex.getMessage() + ")"), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new EmulatorException("Interrupted while checking Node.js", ex);
        }
        if (majorVersion(version) < MINIMUM_MAJOR_VERSION) {
            throw new EmulatorException(missingMessage(node, "it is " + version));
        }
        return new NodeRuntime(node, version);
    }

    static int majorVersion(String version) {
        String digits = version.startsWith("v") ? version.substring(1) : version;
        int dot = digits.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? digits : digits.substring(0, dot));
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }

    private static String missingMessage(String node, String problem) {
        return "The local Kinesis and DynamoDB emulators need Node.js " + MINIMUM_MAJOR_VERSION
                + " or newer, but '" + node + "' cannot be used: " + problem + ". Install Node.js "
                + MINIMUM_MAJOR_VERSION + "+ (https://nodejs.org), or point to it with the system property '"
                + LocalSettings.NODE + "' or the environment variable " + LocalSettings.environmentName(LocalSettings.NODE)
                + ". To use emulators that are already running instead, set both '" + LocalSettings.KINESIS_ENDPOINT
                + "' and '" + LocalSettings.DYNAMODB_ENDPOINT + "' (or " + LocalSettings.environmentName(LocalSettings.KINESIS_ENDPOINT)
                + " and " + LocalSettings.environmentName(LocalSettings.DYNAMODB_ENDPOINT) + "), e.g. http://127.0.0.1:4567.";
    }

    String node() {
        return node;
    }

    String version() {
        return version;
    }

    /** The npm that ships beside this node, else the one on the PATH. */
    List<String> npmCommand() {
        Path nodePath = Path.of(node);
        if (nodePath.getParent() != null) {
            Path npmCli = nodePath.toAbsolutePath().getParent().resolve("../lib/node_modules/npm/bin/npm-cli.js").normalize();
            if (Files.isRegularFile(npmCli)) {
                return List.of(node, npmCli.toString());
            }
            Path sibling = nodePath.toAbsolutePath().getParent().resolve("npm");
            if (Files.isExecutable(sibling)) {
                return List.of(sibling.toString());
            }
        }
        return List.of("npm");
    }
}
