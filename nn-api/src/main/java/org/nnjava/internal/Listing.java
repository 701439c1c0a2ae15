package org.nnjava.internal;

import java.util.List;

/**
 * Lists of problems in error messages, kept short: a file with 200,000 bad entries should give a
 * message one can read, not megabytes. Internal: used by the loaders' error messages.
 */
public final class Listing {

    /** How many items an error message lists before {@code "and N more"}. */
    public static final int DEFAULT_SHOWN = 10;

    private Listing() {
    }

    /**
     * The first {@code shown} items joined by {@code separator}, then {@code "and N more"} when there
     * are more: {@code "a; b; and 3 more"}.
     *
     * @throws IllegalArgumentException if {@code shown} is less than 1
     */
    public static String firstFew(List<?> items, String separator, int shown) {
        if (shown < 1) {
            throw new IllegalArgumentException("shown must be at least 1, not " + shown);
        }
        StringBuilder text = new StringBuilder();
        int count = Math.min(shown, items.size());
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : separator).append(items.get(i));
        }
        if (items.size() > count) {
            text.append(separator).append("and ").append(items.size() - count).append(" more");
        }
        return text.toString();
    }

    /** {@link #firstFew(List, String, int)} with {@link #DEFAULT_SHOWN} items. */
    public static String firstFew(List<?> items, String separator) {
        return firstFew(items, separator, DEFAULT_SHOWN);
    }

    /**
     * The count, then the first {@code shown} problems: {@code "1 problem: a"},
     * {@code "12 problems: a; b; c; d; e; and 7 more"}.
     */
    public static String counted(List<?> problems, int shown) {
        int n = problems.size();
        return n + (n == 1 ? " problem: " : " problems: ") + firstFew(problems, "; ", shown);
    }

    /** {@link #counted(List, int)} with {@link #DEFAULT_SHOWN} problems. */
    public static String counted(List<?> problems) {
        return counted(problems, DEFAULT_SHOWN);
    }
}
