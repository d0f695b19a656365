package io.oddball.api.error;

import java.util.Collection;
import java.util.Locale;

/**
 * The nearest known name to a misspelt one ({@code kn} → {@code knn}, {@code predcit} → {@code predict}), by edit
 * distance, for the hint {@code ; did you mean 'knn'?} of an error: at most {@code max(2, length / 3)} edits away,
 * else no hint. {@link io.oddball.api.Params}' unknown keys and the runtime's unknown types, formats and commands
 * all use it.
 */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** The known name nearest to {@code word}, or null when none is near enough. */
    public static String closest(String word, Collection<String> known) {
        if (word == null || word.isEmpty()) {
            return null;
        }
        String w = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(w, k.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best != null && !best.equals(word) && bestD <= Math.max(2, word.length() / 3) ? best : null;
    }

    /** {@code "; did you mean 'NAME'?"} for the nearest known name, or the empty string. */
    public static String hint(String word, Collection<String> known) {
        String c = closest(word, known);
        return c == null ? "" : "; did you mean '" + c + "'?";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
