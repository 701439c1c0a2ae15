package org.nnjava.layer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnjava.tensor.Tensor;

/** The two-entry maps layers expose ({@code W, b}; {@code gamma, beta}): ordered and unmodifiable. */
final class NamedPair {

    private NamedPair() {
    }

    /** {@code {first: a, second: b}}, in that order. */
    static Map<String, Tensor> of(String first, Tensor a, String second, Tensor b) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put(first, a);
        named.put(second, b);
        return Collections.unmodifiableMap(named);
    }

    /**
     * {@code previous} when it already maps the two names to exactly these tensors (as with reused
     * gradient buffers, so that a training step allocates no map), else a new pair.
     */
    static Map<String, Tensor> reuse(Map<String, Tensor> previous, String first, Tensor a, String second, Tensor b) {
        return previous.get(first) == a && previous.get(second) == b ? previous : of(first, a, second, b);
    }
}
