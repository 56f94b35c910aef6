package dev.kclboot.autoconfigure.keys;

import java.beans.PropertyDescriptor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * The keys that {@code @ConfigurationProperties} classes bind under a prefix, found by walking their JavaBean
 * properties (or record components): a value-typed property is a key, a nested class is walked into, and a map,
 * collection or array property accepts any key below it.
 */
final class KnownKeys {

    /** Nesting deeper than this is not a properties class any more (a cycle, or a domain object). */
    private static final int MAX_DEPTH = 8;

    private final TreeSet<String> keys = new TreeSet<>();

    private final List<ConfigurationPropertyName> keyNames = new ArrayList<>();

    private final List<ConfigurationPropertyName> openPrefixes = new ArrayList<>();

    /** Adds the keys bound by a properties class under its prefix. */
    void add(String prefix, Class<?> type) {
        walk(prefix, type, 0);
    }

    /** Accepts every key under the prefix (keys read by other code, such as the test support's kcl.test.*). */
    void addOpenPrefix(String prefix) {
        keys.add(prefix + ".*");
        openPrefixes.add(ConfigurationPropertyName.of(prefix));
    }

    /** Whether the key (in any relaxed form Spring Boot binds) is bound by one of the classes. */
    boolean contains(ConfigurationPropertyName name) {
        for (ConfigurationPropertyName key : keyNames) {
            if (key.equals(name)) {
                return true;
            }
        }
        for (ConfigurationPropertyName prefix : openPrefixes) {
            if (prefix.isAncestorOf(name) || prefix.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The keys in their canonical (kebab-case) form, sorted. */
    List<String> all() {
        return List.copyOf(keys);
    }

    private void walk(String prefix, Class<?> type, int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                property(prefix, component.getName(), component.getType(), depth);
            }
            return;
        }
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
                continue;
            }
            Class<?> propertyType = descriptor.getPropertyType();
            boolean nested = descriptor.getWriteMethod() == null && isNested(propertyType);
            if (descriptor.getWriteMethod() != null || nested) {
                property(prefix, descriptor.getName(), propertyType, depth);
            }
        }
    }

    private void property(String prefix, String javaName, Class<?> type, int depth) {
        String key = prefix + "." + kebab(javaName);
        if (Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || type.isArray()) {
            keys.add(key);
            keyNames.add(ConfigurationPropertyName.of(key));
            openPrefixes.add(ConfigurationPropertyName.of(key));
        }
        else if (isNested(type)) {
            walk(key, type, depth + 1);
        }
        else {
            keys.add(key);
            keyNames.add(ConfigurationPropertyName.of(key));
        }
    }

    /** A class of the application's own (not a JDK or value type, not an enum) is a group of nested keys. */
    private static boolean isNested(Class<?> type) {
        return !BeanUtils.isSimpleValueType(type) && !type.isEnum() && !type.isPrimitive() && !type.isInterface()
                && !type.getName().startsWith("java.") && !type.getName().startsWith("javax.")
                && !type.getName().startsWith("org.springframework.") && !type.getName().startsWith("software.");
    }

    private static String kebab(String javaName) {
        StringBuilder kebab = new StringBuilder();
        for (char c : javaName.toCharArray()) {
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            }
            else {
                kebab.append(c);
            }
        }
        return kebab.toString();
    }
}
