/**
 * Listener endpoints, the container factory that applies defaults to them, and the registry that starts, stops, pauses and resumes listener containers by id.
 */
@NullMarked
package dev.kclboot.spring.config;

import org.jspecify.annotations.NullMarked;
