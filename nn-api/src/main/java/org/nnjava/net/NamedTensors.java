package org.nnjava.net;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;
import org.nnjava.tensor.Tensor;

/**
 * An unmodifiable, insertion-ordered map from fixed names to tensors, on two arrays: the gradients a
 * network returns every training step, made without the entries and table of a {@code LinkedHashMap}.
 * {@link #get} scans the names (a network has a few dozen parameters at most); {@link #forEach}, which
 * the optimizers use, allocates nothing.
 */
final class NamedTensors extends AbstractMap<String, Tensor> {

    private final String[] names;
    private final Tensor[] values;
    private final int size;

    /** The first {@code size} of {@code names} mapped to {@code values}; both arrays are kept, not copied. */
    NamedTensors(String[] names, Tensor[] values, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Tensor get(Object key) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Tensor> action) {
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, Tensor>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Tensor>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Tensor> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
