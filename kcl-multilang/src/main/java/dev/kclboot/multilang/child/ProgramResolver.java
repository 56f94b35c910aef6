package dev.kclboot.multilang.child;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Finds the program of an {@link ExecutableCommand} before it is started, as the OS will: a name with a {@code /}
 * relative to the working directory, a bare name on the PATH. Checking first turns the KCL users' most common
 * mistake (a script without the execute bit, a name not on the PATH, a relative path from the wrong directory) into
 * a message that says what to fix, instead of a child that "reached end of STDIN".
 */
public final class ProgramResolver {

    private final @Nullable String path;

    private final Path workingDirectory;

    public ProgramResolver() {
        this(System.getenv("PATH"), Path.of("").toAbsolutePath());
    }

    ProgramResolver(@Nullable String path, Path workingDirectory) {
        this.path = path;
        this.workingDirectory = workingDirectory;
    }

    /**
     * @return the executable file that will run
     * @throws ChildStartException naming the program and what is wrong with it
     */
    public Path resolve(ExecutableCommand command) {
        String program = command.program();
        if (program.contains("/")) {
            Path file = workingDirectory.resolve(program);
            requireExecutable(command, file);
            return file;
        }
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                Path candidate = Path.of(directory.isEmpty() ? "." : directory).resolve(program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new ChildStartException("The record processor '" + program + "' (executableName = " + command
                + ") is not on the PATH of this host (" + path + "). Give a path with a '/', or put its directory on "
                + "the PATH; a script also needs a shebang and the execute bit.");
    }

    private void requireExecutable(ExecutableCommand command, Path file) {
        if (!Files.exists(file)) {
            throw new ChildStartException("The record processor " + file + " (executableName = " + command
                    + ") does not exist; relative paths are resolved against the working directory " + workingDirectory
                    + ". executableName is split on spaces, so a path must not contain any.");
        }
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            throw new ChildStartException("The record processor " + file + " (executableName = " + command
                    + ") is not an executable file: give it the execute bit (chmod +x) and a shebang such as "
                    + "#!/usr/bin/env python3, or name the interpreter first (executableName = python3 " + program(command) + ")");
        }
    }

    private static String program(ExecutableCommand command) {
        return command.program();
    }
}
