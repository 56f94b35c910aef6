/**
 * What a failed AWS call means for the engine: throttled, transient (retry), or definite (access denied, not found,
 * invalid), and how to say so in a message.
 */
@NullMarked
package dev.kclboot.core.aws;

import org.jspecify.annotations.NullMarked;
