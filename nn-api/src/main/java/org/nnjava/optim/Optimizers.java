package org.nnjava.optim;

import java.util.List;
import java.util.Locale;

/** Optimizers by name, with the book's default learning rates (chapter 6.1). */
public final class Optimizers {

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam");

    private Optimizers() {
    }

    /**
     * The optimizer called {@code name} with learning rate {@code learningRate}, or the book's default
     * when it is null (SGD 0.01, Momentum 0.01, Nesterov 0.01, AdaGrad 0.01, RMSprop 0.01, Adam 0.001).
     *
     * @param name {@code sgd}, {@code momentum}, {@code nesterov}, {@code adagrad}, {@code rmsprop} or
     *     {@code adam}, any case
     * @param learningRate the learning rate, or null for the book's default
     * @return a new optimizer without state
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Optimizer create(String name, Double learningRate) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "sgd": return new Sgd(learningRate != null ? learningRate : 0.01);
            case "momentum": return learningRate != null ? new Momentum(learningRate, 0.9) : new Momentum();
            case "nesterov": return learningRate != null ? new Nesterov(learningRate, 0.9) : new Nesterov();
            case "adagrad": return learningRate != null ? new AdaGrad(learningRate) : new AdaGrad();
            case "rmsprop": return learningRate != null ? new RmsProp(learningRate, 0.99) : new RmsProp();
            case "adam": return learningRate != null ? new Adam(learningRate, 0.9, 0.999) : new Adam();
            default:
                throw new IllegalArgumentException("unknown optimizer '" + name + "': use one of " + NAMES);
        }
    }
}
