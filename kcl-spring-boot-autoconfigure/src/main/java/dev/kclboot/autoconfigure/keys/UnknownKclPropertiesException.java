package dev.kclboot.autoconfigure.keys;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The environment has {@code kcl.*} keys that no {@code kcl} property binds: most likely typos, which Spring Boot
 * would otherwise ignore without a word.
 */
public class UnknownKclPropertiesException extends RuntimeException {

    private final List<UnknownKey> keys;

    public UnknownKclPropertiesException(List<UnknownKey> keys) {
        super(describe(keys));
        this.keys = List.copyOf(keys);
    }

    public List<UnknownKey> getKeys() {
        return keys;
    }

    /** One line per key: the key, where it was set, and the closest known key. */
    public static String describe(List<UnknownKey> keys) {
        return keys.stream().map(UnknownKey::describe).collect(Collectors.joining("\n"));
    }

    /**
     * One unknown key.
     * @param name the key as the property source spells it
     * @param origin where it was set (file and line, environment variable...), when known
     * @param suggestion the closest known key, when one is close
     */
    public record UnknownKey(String name, @Nullable String origin, @Nullable String suggestion) {

        String describe() {
            return "'" + name + "'" + ((origin != null) ? " (from " + origin + ")" : "") + " is not a kcl property"
                    + ((suggestion != null) ? "; did you mean " + suggestion + "?" : "");
        }
    }
}
