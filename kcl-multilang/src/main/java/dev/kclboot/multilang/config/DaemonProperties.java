package dev.kclboot.multilang.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The entries of a KCL MultiLang properties file, looked up by key without regard to case ({@code AwsCredentialsProvider},
 * {@code awsCredentialsProvider} and {@code AWSCREDENTIALSPROVIDER} are one key), with values trimmed. Remembers
 * which keys were looked up, so the rest can be reported as unknown.
 */
public final class DaemonProperties {

    private final Map<String, String> values = new LinkedHashMap<>();

    private final Map<String, String> spelling = new LinkedHashMap<>();

    private final Set<String> used = new HashSet<>();

    /**
     * @throws InvalidSettingsException when two keys differ only in case
     */
    public DaemonProperties(Properties properties) {
        for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            String normalized = normalize(key);
            String previous = spelling.put(normalized, key);
            if (previous != null) {
                throw new InvalidSettingsException("The keys '" + previous + "' and '" + key + "' are the same key "
                        + "(keys are not case-sensitive); keep one of them");
            }
            values.put(normalized, properties.getProperty(key).strip());
        }
    }

    private static String normalize(String key) {
        return key.strip().toLowerCase(Locale.ROOT);
    }

    /** The value of a key, empty when the key is absent or its value blank. */
    public Optional<String> get(String key) {
        String normalized = normalize(key);
        used.add(normalized);
        String value = values.get(normalized);
        return (value == null || value.isEmpty()) ? Optional.empty() : Optional.of(value);
    }

    /** Whether the key is present (even with a blank value); counts as a look-up. */
    public boolean contains(String key) {
        String normalized = normalize(key);
        used.add(normalized);
        return values.containsKey(normalized);
    }

    /** The keys never looked up, as spelled in the file. */
    public List<String> unusedKeys() {
        List<String> unused = new ArrayList<>();
        spelling.forEach((normalized, original) -> {
            if (!used.contains(normalized)) {
                unused.add(original);
            }
        });
        return unused;
    }
}
