package dev.kclboot.multilang.child;

import java.util.Arrays;
import java.util.List;

/**
 * The record processor's command line, from the {@code executableName} property exactly as the KCL daemon reads it:
 * split on runs of spaces, no shell, no quoting (so arguments work and paths with spaces do not).
 * @param argv the program and its arguments
 */
public record ExecutableCommand(List<String> argv) {

    public ExecutableCommand {
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("The command is empty");
        }
        argv = List.copyOf(argv);
    }

    /**
     * @throws IllegalArgumentException when the value has no program
     */
    public static ExecutableCommand parse(String executableName) {
        String trimmed = executableName.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("executableName is empty");
        }
        return new ExecutableCommand(Arrays.asList(trimmed.split(" +")));
    }

    public String program() {
        return argv.get(0);
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
