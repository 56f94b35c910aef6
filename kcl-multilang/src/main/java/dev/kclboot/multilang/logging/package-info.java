/**
 * The host's log: applying a logback configuration given on the command line.
 */
@NullMarked
package dev.kclboot.multilang.logging;

import org.jspecify.annotations.NullMarked;
