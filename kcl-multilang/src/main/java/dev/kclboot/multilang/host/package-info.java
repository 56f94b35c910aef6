/**
 * The running host: AWS clients from the settings, the engine's Worker, the children, and a graceful stop within the shutdown grace.
 */
@NullMarked
package dev.kclboot.multilang.host;

import org.jspecify.annotations.NullMarked;
