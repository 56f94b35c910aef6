/**
 * Child processes: launching the record processor command as the KCL daemon does (split on spaces, inherited environment and directory, in its own session), its stdout lines, its stderr in the host's log, timeouts and ending it.
 */
@NullMarked
package dev.kclboot.multilang.child;

import org.jspecify.annotations.NullMarked;
