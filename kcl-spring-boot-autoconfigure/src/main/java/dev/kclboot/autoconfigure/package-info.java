/**
 * Spring Boot auto-configuration: {@code kcl.*} properties, the AWS SDK clients, the worker factory and the listener infrastructure.
 */
@NullMarked
package dev.kclboot.autoconfigure;

import org.jspecify.annotations.NullMarked;
