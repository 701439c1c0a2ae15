package org.nnjava.internal;

import java.util.List;

/**
 * Joins a list of problems for one error message without letting a crafted file make it huge: the first
 * {@value #SHOWN} problems, then how many more there are. Internal.
 */
public final class ProblemList {

    /** How many problems a message lists in full. */
    public static final int SHOWN = 5;

    private ProblemList() {
    }

    /**
     * {@code "3 problems: a; b; c"} or {@code "12 problems: a; b; c; d; e; and 7 more"}; {@code "1 problem: a"}.
     */
    public static String summarize(List<String> problems) {
        int n = problems.size();
        StringBuilder text = new StringBuilder().append(n).append(n == 1 ? " problem: " : " problems: ");
        text.append(String.join("; ", problems.subList(0, Math.min(n, SHOWN))));
        if (n > SHOWN) {
            text.append("; and ").append(n - SHOWN).append(" more");
        }
        return text.toString();
    }
}
