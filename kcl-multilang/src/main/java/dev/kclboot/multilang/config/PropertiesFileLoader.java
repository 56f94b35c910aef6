package dev.kclboot.multilang.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Loads the properties file as the daemon does: from the classpath first, then from the file system. Read as UTF-8
 * (the daemon's {@code Properties.load(InputStream)} reads ISO-8859-1, which is the same for the ASCII of every key).
 */
public final class PropertiesFileLoader {

    private PropertiesFileLoader() {
    }

    /**
     * @throws InvalidSettingsException when the file is found in neither place or cannot be read
     */
    public static Properties load(String location) {
        Properties properties = new Properties();
        try (InputStream resource = PropertiesFileLoader.class.getClassLoader().getResourceAsStream(location)) {
            if (resource != null) {
                try (Reader reader = new InputStreamReader(resource, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                    return properties;
                }
            }
        }
        catch (IOException ex) {
            throw new InvalidSettingsException("Could not read the properties file " + location + " from the classpath: "
                    + ex.getMessage(), ex);
        }
        Path file = Path.of(location).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new InvalidSettingsException("The properties file " + location + " was found neither on the "
                    + "classpath nor at " + file);
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return properties;
        }
        catch (IOException ex) {
            throw new InvalidSettingsException("Could not read the properties file " + file + ": " + ex.getMessage(), ex);
        }
    }
}
