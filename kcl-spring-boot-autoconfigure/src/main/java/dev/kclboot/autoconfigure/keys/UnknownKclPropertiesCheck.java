package dev.kclboot.autoconfigure.keys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kclboot.autoconfigure.keys.UnknownKclPropertiesException.UnknownKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Once every bean exists (before any listener starts), compares the {@code kcl.*} keys of the environment (files,
 * system properties, environment variables, command line) with those the {@code @ConfigurationProperties} beans of
 * prefix {@code kcl} or {@code kcl.*} bind. Unknown keys fail the startup with {@link UnknownKclPropertiesException},
 * or are logged as a warning with {@code kcl.fail-on-unknown-properties=false}.
 */
public class UnknownKclPropertiesCheck implements SmartInitializingSingleton {

    /** The property that turns the failure into a warning. */
    public static final String FAIL_PROPERTY = "kcl.fail-on-unknown-properties";

    private static final Logger logger = LoggerFactory.getLogger(UnknownKclPropertiesCheck.class);

    private static final ConfigurationPropertyName KCL = ConfigurationPropertyName.of("kcl");

    /** Read by kcl-spring-boot-test's LocalKinesis (external emulator endpoints), not by a properties bean. */
    private static final String TEST_SUPPORT_PREFIX = "kcl.test";

    private final ApplicationContext context;

    private final ConfigurableEnvironment environment;

    private final boolean fail;

    public UnknownKclPropertiesCheck(ApplicationContext context, ConfigurableEnvironment environment, boolean fail) {
        this.context = context;
        this.environment = environment;
        this.fail = fail;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<UnknownKey> unknown = findUnknown();
        if (unknown.isEmpty()) {
            return;
        }
        if (fail) {
            throw new UnknownKclPropertiesException(unknown);
        }
        logger.warn("Ignoring unknown kcl properties ({}=false):\n{}", FAIL_PROPERTY,
                UnknownKclPropertiesException.describe(unknown));
    }

    List<UnknownKey> findUnknown() {
        KnownKeys known = knownKeys();
        Map<String, UnknownKey> unknown = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.filter(KCL::isAncestorOf).stream().filter(name -> !known.contains(name)).forEach(name -> {
                String key = name.toString();
                if (!unknown.containsKey(key)) {
                    ConfigurationProperty property = source.getConfigurationProperty(name);
                    String origin = (property != null && property.getOrigin() != null)
                            ? property.getOrigin().toString() : null;
                    unknown.put(key, new UnknownKey(key, origin, ClosestKey.to(key, known.all())));
                }
            });
        }
        return new ArrayList<>(unknown.values());
    }

    private KnownKeys knownKeys() {
        KnownKeys known = new KnownKeys();
        known.addOpenPrefix(TEST_SUPPORT_PREFIX);
        for (ConfigurationPropertiesBean bean : ConfigurationPropertiesBean.getAll(context).values()) {
            String prefix = bean.getAnnotation().prefix();
            if (prefix.isEmpty()) {
                prefix = bean.getAnnotation().value();
            }
            if (prefix.equals("kcl") || prefix.startsWith("kcl.")) {
                known.add(prefix, ClassUtils.getUserClass(bean.getInstance().getClass()));
            }
        }
        return known;
    }
}
