package dev.kclboot.multilang.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/**
 * Turns an {@code AwsCredentialsProvider} value of the KCL properties file into an SDK v2 provider, with the daemon's
 * syntax: a comma-separated list of providers (tried in order), each a class name, short
 * ({@code DefaultCredentialsProvider}, looked up in {@code software.amazon.awssdk.auth.credentials}) or fully
 * qualified, with {@code |}-separated arguments ({@code ProfileCredentialsProvider|my-profile}). A class that has a
 * static {@code create(String...)} or {@code create()} method, or a matching public constructor, works. Unlike the
 * daemon, which logs a warning and builds an empty chain, a provider that cannot be made fails the start with its
 * name. The values are never logged: they may name roles and profiles.
 */
final class CredentialsProviders {

    private static final String SDK_PACKAGE = "software.amazon.awssdk.auth.credentials.";

    private CredentialsProviders() {
    }

    /**
     * @param key the property key, for messages
     * @param value the property value
     * @throws InvalidSettingsException naming the key and the provider that cannot be made
     */
    static AwsCredentialsProvider parse(String key, String value) {
        List<AwsCredentialsProvider> providers = new ArrayList<>();
        for (String element : value.split(",")) {
            String spec = element.strip();
            if (!spec.isEmpty()) {
                providers.add(create(key, spec));
            }
        }
        if (providers.isEmpty()) {
            throw new InvalidSettingsException(key + " names no credentials provider (e.g. " + key
                    + " = DefaultCredentialsProvider)");
        }
        return providers.size() == 1 ? providers.get(0)
                : AwsCredentialsProviderChain.builder().credentialsProviders(providers).build();
    }

    private static AwsCredentialsProvider create(String key, String spec) {
        String[] parts = spec.split("\\|");
        String name = parts[0].strip();
        String[] args = Arrays.stream(parts, 1, parts.length).map(String::strip).toArray(String[]::new);
        // The two the issue names are built directly: no reflection, no surprises.
        if (name.equals("DefaultCredentialsProvider") || name.equals(SDK_PACKAGE + "DefaultCredentialsProvider")) {
            requireArguments(key, name, args, 0);
            return DefaultCredentialsProvider.builder().build();
        }
        if (name.equals("ProfileCredentialsProvider") || name.equals(SDK_PACKAGE + "ProfileCredentialsProvider")) {
            if (args.length > 1) {
                throw new InvalidSettingsException(key + ": ProfileCredentialsProvider takes at most one argument, "
                        + "the profile name (ProfileCredentialsProvider|my-profile)");
            }
            return args.length == 0 ? ProfileCredentialsProvider.create() : ProfileCredentialsProvider.create(args[0]);
        }
        if (name.startsWith("StsAssumeRole") || name.startsWith("KclStsAssumeRole")) {
            throw new InvalidSettingsException(key + ": " + name + " is not supported by this host (the STS module is "
                    + "not included); use DefaultCredentialsProvider with AWS_ROLE_ARN / a profile with role_arn, "
                    + "which the default chain assumes");
        }
        Class<?> type = load(name);
        if (type == null || !AwsCredentialsProvider.class.isAssignableFrom(type)) {
            throw new InvalidSettingsException(key + ": no credentials provider class '" + name + "' (looked for "
                    + SDK_PACKAGE + name + " and " + name + "); e.g. DefaultCredentialsProvider, "
                    + "ProfileCredentialsProvider|profile, EnvironmentVariableCredentialsProvider, "
                    + "ContainerCredentialsProvider, InstanceProfileCredentialsProvider");
        }
        AwsCredentialsProvider provider = instantiate(type, args);
        if (provider == null) {
            throw new InvalidSettingsException(key + ": " + name + " has no public static create(" + describe(args)
                    + ") method nor such a constructor");
        }
        return provider;
    }

    private static void requireArguments(String key, String name, String[] args, int count) {
        if (args.length != count) {
            throw new InvalidSettingsException(key + ": " + name + " takes no arguments");
        }
    }

    private static @Nullable Class<?> load(String name) {
        for (String candidate : List.of(SDK_PACKAGE + name, name)) {
            try {
                return Class.forName(candidate);
            }
            catch (ClassNotFoundException | LinkageError ex) {
                // Try the next spelling.
            }
        }
        return null;
    }

    private static @Nullable AwsCredentialsProvider instantiate(Class<?> type, String[] args) {
        Class<?>[] stringTypes = new Class<?>[args.length];
        Arrays.fill(stringTypes, String.class);
        try {
            Object provider = null;
            Method create = findStatic(type, "create", stringTypes);
            if (create != null) {
                provider = create.invoke(null, (Object[]) args);
            }
            else {
                Method varargsCreate = findStatic(type, "create", String[].class);
                if (varargsCreate != null) {
                    provider = varargsCreate.invoke(null, (Object) args);
                }
                else {
                    Constructor<?> constructor = type.getConstructor(stringTypes);
                    provider = constructor.newInstance((Object[]) args);
                }
            }
            return (AwsCredentialsProvider) provider;
        }
        catch (NoSuchMethodException ex) {
            return null;
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            throw new InvalidSettingsException("Could not create the credentials provider " + type.getName() + ": "
                    + ex.getClass().getSimpleName(), ex);
        }
    }

    private static @Nullable Method findStatic(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method method = type.getMethod(name, parameters);
            return Modifier.isStatic(method.getModifiers()) ? method : null;
        }
        catch (NoSuchMethodException ex) {
            return null;
        }
    }

    private static String describe(String[] args) {
        return String.join(", ", java.util.Collections.nCopies(args.length, "String"));
    }
}
