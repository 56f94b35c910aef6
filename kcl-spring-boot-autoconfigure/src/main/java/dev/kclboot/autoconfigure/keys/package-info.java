/**
 * The check of {@code kcl.*} keys: a key that no {@code kcl} property binds (a typo) fails the startup, or is logged,
 * naming the closest known key.
 */
@NullMarked
package dev.kclboot.autoconfigure.keys;

import org.jspecify.annotations.NullMarked;
