package dev.kclboot.autoconfigure.keys;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds the known key a mistyped one was probably meant to be: the one with the smallest edit distance, when that
 * distance is small for the key's length (so that an unrelated key gets no suggestion at all).
 */
final class ClosestKey {

    private ClosestKey() {
    }

    static @Nullable String to(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(key, candidate.endsWith(".*") ? candidate.substring(0, candidate.length() - 2)
                    : candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return (best != null && bestDistance <= Math.max(2, key.length() / 3)) ? best : null;
    }

    /** Levenshtein distance (insert, delete, replace: one each). */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
