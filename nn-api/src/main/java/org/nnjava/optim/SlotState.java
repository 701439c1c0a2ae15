package org.nnjava.optim;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnjava.internal.Listing;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;

/**
 * The per-parameter state of an optimizer: named slots (such as {@code v}) holding one tensor per
 * parameter, keyed {@code <slot>.<parameter>}. A slot tensor is created lazily as zeros in the
 * parameter's backend and dtype; a restored one from another backend or dtype is converted on first use.
 * Lookups allocate nothing once every key has been seen, so an update step stays allocation-free.
 */
final class SlotState {

    private final String owner;
    private final List<String> slots;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    /** {@code <slot>.<parameter>} keys by slot and parameter, built once rather than concatenated each step. */
    private final Map<String, Map<String, String>> keys = new HashMap<>();
    /** Temporaries by parameter name, like the parameter; working space, never part of the state. */
    
    SlotState(String owner, String... slots) {
        this.owner = owner;
        this.slots = List.of(slots);
    }

    /** The live tensor of {@code slot} for parameter {@code name}, created as zeros like {@code param}. */
    Tensor get(String slot, String name, Tensor param) {
        String key = key(slot, name);
        Tensor t = tensors.get(key);
        Backend nd = param.backend();
        if (t == null) {
            // Made on the first update, usually inside a training step: never from its arena.
            t = StepArena.outside(() -> nd.zeros(param.shape().dims()));
            tensors.put(key, t);
        } else if (!t.shape().equals(param.shape())) {
            throw new IllegalArgumentException(owner + ".update: state " + key + " " + t.shape() + " does not fit"
                    + " parameter " + name + " " + param.shape() + "; load a state saved for this network");
        } else if (t.dtype() != param.dtype() || !t.backend().name().equals(nd.name())) {
            t = nd.copyOf(t); // a copy is never recycled
            tensors.put(key, t);
        }
        return t;
    }

    private String key(String slot, String name) {
        Map<String, String> bySlot = keys.get(slot);
        if (bySlot == null) {
            bySlot = new HashMap<>();
            keys.put(slot, bySlot);
        }
        String key = bySlot.get(name);
        if (key == null) {
            key = slot + "." + name;
            bySlot.put(name, key);
        }
        return key;
    }

    /** Copies of every slot tensor, in creation order. */
    Map<String, Tensor> snapshot() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        tensors.forEach((key, t) -> copy.put(key, t.copy()));
        return copy;
    }

    /** Replaces the slot tensors by copies of {@code state}'s entries except those in {@code scalars}. */
    void restore(Map<String, ? extends Tensor> state, List<String> scalars) {
        Map<String, Tensor> restored = new LinkedHashMap<>();
        state.forEach((key, t) -> {
            if (scalars.contains(key)) {
                return;
            }
            int dot = key.indexOf('.');
            if (dot <= 0 || dot == key.length() - 1 || !slots.contains(key.substring(0, dot))) {
                throw new IllegalArgumentException(owner + ".loadState: entry '" + key + "' is not a state entry of "
                        + owner + ", whose entries are " + String.join(", ", expected(scalars))
                        + "; load a state saved from the same kind of optimizer");
            }
            restored.put(key, t.copy());
        });
        tensors.clear();
        tensors.putAll(restored);
    }

    /**
     * Checks that {@code saved} is empty or complete for {@code params}: each slot of each parameter
     * present with the parameter's shape and finite values ({@code >= 0} for the slots in
     * {@code nonNegative}), each scalar in {@code scalars} present as a single value, nothing else.
     *
     * @throws IllegalArgumentException listing the first problems found and how many more there are
     */
    void checkComplete(Map<String, ? extends Tensor> saved, Map<String, ? extends Tensor> params,
            List<String> scalars, List<String> nonNegative) {
        if (saved.isEmpty()) {
            return;
        }
        List<String> problems = new java.util.ArrayList<>();
        params.forEach((name, param) -> {
            for (String slot : slots) {
                String key = slot + "." + name;
                Tensor t = saved.get(key);
                if (t == null) {
                    problems.add("missing " + key + " " + param.shape());
                } else if (!t.shape().equals(param.shape())) {
                    problems.add(key + " has shape " + t.shape() + ", parameter " + name + " has " + param.shape());
                } else {
                    valueProblem(key, t.toDoubleArray(), nonNegative.contains(slot)).ifPresent(problems::add);
                }
            }
        });
        for (String scalar : scalars) {
            Tensor t = saved.get(scalar);
            if (t == null || t.size() != 1) {
                problems.add(t == null ? "missing " + scalar : scalar + " has shape " + t.shape() + ", expected one value");
            }
        }
        saved.keySet().stream().filter(key -> !scalars.contains(key) && !isSlotOf(key, params))
                .forEach(key -> problems.add("unexpected " + key));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(owner + ".loadState: the state does not fit the network ("
                    + Listing.counted(problems) + "); load a state saved with this network and optimizer");
        }
    }

    private boolean isSlotOf(String key, Map<String, ? extends Tensor> params) {
        int dot = key.indexOf('.');
        return dot > 0 && slots.contains(key.substring(0, dot)) && params.containsKey(key.substring(dot + 1));
    }

    private static java.util.Optional<String> valueProblem(String key, double[] values, boolean nonNegative) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || nonNegative && values[i] < 0) {
                return java.util.Optional.of(key + "[" + i + "] is " + values[i] + (nonNegative
                        ? ", but it must be finite and >= 0 (a sum of squares)" : ", but it must be finite"));
            }
        }
        return java.util.Optional.empty();
    }

    private List<String> expected(List<String> scalars) {
        List<String> names = new java.util.ArrayList<>();
        slots.forEach(s -> names.add(s + ".<parameter>"));
        names.addAll(scalars);
        return names;
    }

    /** Checks that every gradient has a parameter, then calls {@code step} for each pair in order. */
    static void forEachPair(String owner, Map<String, Tensor> params, Map<String, Tensor> grads, Step step) {
        grads.forEach((name, grad) -> {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException(owner + ".update: gradient " + name
                        + " has no parameter of that name; parameters: " + params.keySet());
            }
        });
        grads.forEach((name, grad) -> step.apply(name, params.get(name), grad));
    }

    /** One parameter's update. */
    @FunctionalInterface
    interface Step {
        void apply(String name, Tensor param, Tensor grad);
    }

    static double positive(String owner, String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(owner + ": " + what + " " + value + " must be a positive number");
        }
        return value;
    }

    static double fraction(String owner, String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(owner + ": " + what + " " + value + " must be in [0, 1)");
        }
        return value;
    }
}
