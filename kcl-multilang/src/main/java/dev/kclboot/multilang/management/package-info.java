/**
 * Health and metrics over HTTP without Spring: the JDK's HTTP server serving the starter's kinesis health and endpoint JSON shapes and the engine's meters.
 */
@NullMarked
package dev.kclboot.multilang.management;

import org.jspecify.annotations.NullMarked;
