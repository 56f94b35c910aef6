package dev.kclboot.multilang.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramResolverTest {

    @TempDir
    Path directory;

    @Test
    void theCommandIsSplitOnSpacesAsTheDaemonSplitsIt() {
        assertThat(ExecutableCommand.parse("  python3  app.py   --flag ").argv()).containsExactly("python3", "app.py",
                "--flag");
        assertThatThrownBy(() -> ExecutableCommand.parse("   ")).hasMessage("executableName is empty");
    }

    @Test
    void findsBareNamesOnThePathAndPathsFromTheWorkingDirectory() throws Exception {
        Path bin = Files.createDirectories(directory.resolve("bin"));
        Path app = Files.writeString(bin.resolve("app.py"), "#!/usr/bin/env python3\n");
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProgramResolver resolver = new ProgramResolver("/nonexistent:" + bin, directory);
        assertThat(resolver.resolve(ExecutableCommand.parse("app.py --x"))).isEqualTo(app);
        assertThat(resolver.resolve(ExecutableCommand.parse("bin/app.py"))).isEqualTo(directory.resolve("bin/app.py"));
    }

    @Test
    void namesWhatIsWrongWithTheProgram() throws Exception {
        Path script = Files.writeString(directory.resolve("app.py"), "print('hi')\n");
        ProgramResolver resolver = new ProgramResolver("/nonexistent", directory);
        assertThatThrownBy(() -> resolver.resolve(ExecutableCommand.parse("app.py")))
                .isInstanceOf(ChildStartException.class).hasMessageContaining("is not on the PATH of this host");
        assertThatThrownBy(() -> resolver.resolve(ExecutableCommand.parse("./app.py")))
                .hasMessageContaining("is not an executable file: give it the execute bit")
                .hasMessageContaining("executableName = python3 ./app.py");
        assertThatThrownBy(() -> resolver.resolve(ExecutableCommand.parse("./missing.py")))
                .hasMessageContaining("does not exist; relative paths are resolved against the working directory");
        assertThat(script).exists();
    }
}
