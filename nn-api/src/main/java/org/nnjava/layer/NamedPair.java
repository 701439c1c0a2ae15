package org.nnjava.layer;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.nnjava.tensor.Tensor;

/**
 * The two-entry maps layers expose ({@code W, b}; {@code gamma, beta}): ordered, unmodifiable, and one
 * small object, since a layer's gradients are a new pair every training step.
 */
final class NamedPair extends AbstractMap<String, Tensor> {

    private final String first;
    private final Tensor a;
    private final String second;
    private final Tensor b;

    private NamedPair(String first, Tensor a, String second, Tensor b) {
        this.first = first;
        this.a = a;
        this.second = second;
        this.b = b;
    }

    /** {@code {first: a, second: b}}, in that order. */
    static Map<String, Tensor> of(String first, Tensor a, String second, Tensor b) {
        return new NamedPair(first, a, second, b);
    }

    @Override
    public Tensor get(Object key) {
        return first.equals(key) ? a : second.equals(key) ? b : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return first.equals(key) || second.equals(key);
    }

    @Override
    public int size() {
        return 2;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Tensor> action) {
        action.accept(first, a);
        action.accept(second, b);
    }

    /** The two entries, in order (made on each call: iteration is off the training step's path). */
    @Override
    public Set<Entry<String, Tensor>> entrySet() {
        List<Entry<String, Tensor>> entries = List.of(new SimpleImmutableEntry<>(first, a),
                new SimpleImmutableEntry<>(second, b));
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Tensor>> iterator() {
                return entries.iterator();
            }

            @Override
            public int size() {
                return 2;
            }
        };
    }
}
