package org.nnjava.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nnjava.layer.Layer;
import org.nnjava.layer.LossLayer;
import org.nnjava.layer.ModeAware;
import org.nnjava.layer.NumericalGradient;
import org.nnjava.layer.Stochastic;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;

/**
 * A network assembled from any sequence of layers (the book's own or a user's) ending in a loss layer,
 * as the book's {@code TwoLayerNet} and {@code MultiLayerNet} (chapter 5.7) keep an ordered dict of
 * layers and a last layer.
 *
 * <p>Parameters are named as in the book: the k-th layer exposing a parameter {@code W} contributes
 * {@code W}k, so an Affine-Relu-Affine stack has {@code W1, b1, W2, b2}. {@link #params()} returns the
 * live tensors, which optimizers update in place.
 *
 * <p>Training and inference mode: a network starts in training mode; {@link #setTraining} switches every
 * {@link ModeAware} layer (batch normalisation, dropout). {@link #predict}, {@link #loss} and
 * {@link #gradient} run in the current mode; {@link #accuracy} and {@link #inferenceLoss} always run in
 * inference mode and restore the previous mode.
 *
 * <p>Weight decay (the book's {@code MultiLayerNetExtend}, chapter 6.4.1): with {@code λ > 0} the loss
 * gains {@code ½·λ·Σ‖W‖²} over the parameters that layers name {@code W} (weights, not biases or batch
 * normalisation's {@code gamma}/{@code beta}), and each such gradient gains {@code λ·W}.
 *
 * <p>Memory: every method allocates its results as new tensors, as the book's NumPy code does. A
 * training loop that runs each step in a {@link org.nnjava.tensor.StepArena} (as
 * {@link org.nnjava.train.TrainingStep} does) gets them from memory recycled from the previous step
 * instead, with no change here: the layers are plain tensor expressions.
 */
public class Network {

    /** The number of samples per forward pass of {@link #accuracy}. */
    public static final int ACCURACY_CHUNK = 100;

    private final List<Layer> layers;
    private final LossLayer lossLayer;
    private final Map<String, Tensor> params;
    private final double weightDecay;
    private final List<String> decayed;
    private boolean training = true;
    private double lastLoss = Double.NaN;
    /** Each declared parameter's layer index, local name and network name, in {@link #params()} order. */
    private final int[] gradientLayer;
    private final String[] gradientName;
    private final String[] networkName;

    /**
     * A network running {@code layers} in order, then {@code lossLayer}, without weight decay.
     *
     * @param layers the layers, at least one, in forward order; the list is copied, the layers are kept
     * @param lossLayer the loss layer after the last of {@code layers}
     * @throws IllegalArgumentException if there are no layers
     */
    public Network(List<? extends Layer> layers, LossLayer lossLayer) {
        this(layers, lossLayer, 0.0);
    }

    /**
     * A network running {@code layers} in order, then {@code lossLayer}, with weight decay
     * {@code weightDecay} (λ; 0 for none) on every parameter its layer names {@code W}.
     *
     * @param layers the layers, at least one, in forward order; the list is copied, the layers are kept
     * @param lossLayer the loss layer after the last of {@code layers}
     * @param weightDecay λ, finite and {@code >= 0}
     * @throws IllegalArgumentException if there are no layers, or {@code weightDecay} is not finite and
     *     {@code >= 0}
     */
    public Network(List<? extends Layer> layers, LossLayer lossLayer, double weightDecay) {
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("Network: weight decay " + weightDecay
                    + " must be a finite number >= 0 (0 for none)");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("Network: no layers; give at least one layer before the loss layer");
        }
        this.layers = List.copyOf(layers);
        this.lossLayer = lossLayer;
        this.params = Collections.unmodifiableMap(collect(this.layers));
        this.weightDecay = weightDecay;
        this.decayed = weightNames(this.layers);
        List<Integer> owners = new ArrayList<>();
        List<String> locals = new ArrayList<>();
        for (int i = 0; i < this.layers.size(); i++) {
            for (String name : this.layers.get(i).params().keySet()) {
                owners.add(i);
                locals.add(name);
            }
        }
        this.gradientLayer = owners.stream().mapToInt(Integer::intValue).toArray();
        this.gradientName = locals.toArray(new String[0]);
        this.networkName = params.keySet().toArray(new String[0]);
        propagateMode(this.layers, lossLayer, true);
    }

    /**
     * The layers, in order (without the loss layer).
     *
     * @return an unmodifiable list of the layers themselves
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The loss layer.
     *
     * @return the layer that turns scores and labels into the loss
     */
    public LossLayer lossLayer() {
        return lossLayer;
    }

    /**
     * The live parameters by name ({@code W1, b1, ...}), in layer order.
     *
     * @return an unmodifiable map of the layers' own parameter tensors: an optimizer updates them in place
     */
    public Map<String, Tensor> params() {
        return params;
    }

    /**
     * The weight decay λ (0 for none).
     *
     * @return λ, {@code >= 0}
     */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * Switches every {@link ModeAware} layer (and the loss layer, if it is one) to training mode
     * ({@code true}) or inference mode ({@code false}).
     *
     * @param training {@code true} for training mode (dropout drops, batch normalisation uses the batch's
     *     statistics and updates its running ones), {@code false} for inference
     */
    public void setTraining(boolean training) {
        this.training = training;
        propagateMode(layers, lossLayer, training);
    }

    private static void propagateMode(List<Layer> layers, LossLayer lossLayer, boolean training) {
        for (int i = 0; i < layers.size(); i++) { // by index: no iterator on the training step's path
            if (layers.get(i) instanceof ModeAware aware) {
                aware.setTraining(training);
            }
        }
        if (lossLayer instanceof ModeAware aware) {
            aware.setTraining(training);
        }
    }

    /**
     * Whether the network is in training mode.
     *
     * @return {@code true} in training mode (the initial mode), {@code false} in inference mode
     */
    public boolean isTraining() {
        return training;
    }

    /**
     * The scores for input {@code x} (before softmax): the forward pass through every layer but the loss.
     *
     * @param x the inputs, {@code [N, inputs]} (or what the first layer takes)
     * @return the scores, {@code [N, classes]}
     */
    public Tensor predict(Tensor x) {
        Tensor out = x;
        for (int i = 0; i < layers.size(); i++) { // by index: no iterator on the training step's path
            out = layers.get(i).forward(out);
        }
        return out;
    }

    /**
     * The loss of input {@code x} against labels {@code t} (one-hot or class indices) in the current
     * mode, plus the weight decay term {@code ½·λ·Σ‖W‖²}.
     *
     * @param x the inputs, {@code [N, inputs]}
     * @param t the labels: class indices {@code [N]} or one-hot {@code [N, classes]}
     * @return the mean loss over the batch plus the weight decay term
     */
    public double loss(Tensor x, Tensor t) {
        double loss = lossLayer.forward(predict(x), t);
        if (weightDecay > 0) {
            double squares = 0;
            for (String name : decayed) {
                Tensor w = params.get(name);
                squares += w.mul(w).sum().item();
            }
            loss += 0.5 * weightDecay * squares;
        }
        return loss;
    }

    /**
     * {@link #loss} in inference mode (as the book's {@code loss(x, t, train_flg=False)}); the mode is restored.
     *
     * @param x the inputs, {@code [N, inputs]}
     * @param t the labels: class indices {@code [N]} or one-hot {@code [N, classes]}
     * @return the mean loss over the batch plus the weight decay term
     */
    public double inferenceLoss(Tensor x, Tensor t) {
        boolean previous = training;
        setTraining(false);
        try {
            return loss(x, t);
        } finally {
            setTraining(previous);
        }
    }

    /**
     * The fraction of samples whose highest score is the label's class; labels are class indices
     * {@code [N]} or one-hot {@code [N, C]}. Runs in inference mode and restores the previous mode.
     *
     * <p>The samples are scored {@value #ACCURACY_CHUNK} rows at a time (as the book's {@code accuracy}
     * in {@code ch07/simple_convnet.py} batches them), so that a convolutional network over 10,000 images
     * never holds the im2col columns of all of them at once; unlike the book's, which drops a last partial
     * batch, every sample counts. The result equals the unchunked {@code hits / N} exactly. When no
     * {@link StepArena} step is open on the calling thread, each chunk runs in a step of an arena of its
     * own, so that the chunks reuse one chunk's memory; {@code x} and {@code t} are only read.
     *
     * @param x the inputs, {@code [N, inputs]} (or what the first layer takes), {@code N >= 1}
     * @param t the labels: class indices {@code [N]} or one-hot {@code [N, classes]}
     * @return the fraction in {@code [0, 1]}
     * @throws ShapeMismatchException if {@code x} has no samples, the scores are not {@code [N, C]} or
     *     {@code t} is not {@code [N]} or {@code [N, C]}
     */
    public double accuracy(Tensor x, Tensor t) {
        int n = x.rank() == 0 ? 0 : x.shape().dim(0);
        if (n == 0 || t.rank() < 1 || t.rank() > 2 || t.shape().dim(0) != n) {
            throw new ShapeMismatchException("accuracy: x " + x.shape() + ", t " + t.shape()
                    + ": x must hold at least one sample and t be class indices [N] or one-hot [N, C] for its N rows");
        }
        boolean previous = training;
        setTraining(false);
        StepArena arena = StepArena.isStepOpen() ? null : new StepArena();
        try {
            long hits = 0;
            for (int start = 0; start < n; start += ACCURACY_CHUNK) {
                int end = Math.min(n, start + ACCURACY_CHUNK);
                if (arena != null) {
                    arena.begin();
                }
                try {
                    hits += hits(rows(x, start, end, n), rows(t, start, end, n));
                } finally {
                    if (arena != null) {
                        arena.end();
                    }
                }
            }
            return (double) hits / n;
        } finally {
            setTraining(previous);
        }
    }

    /** Rows {@code start .. end − 1} of {@code a} ({@code a} itself when they are all {@code n}). */
    private static Tensor rows(Tensor a, int start, int end, int n) {
        if (start == 0 && end == n) {
            return a;
        }
        int[] rows = new int[end - start];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = start + i;
        }
        return a.gatherRows(rows);
    }

    /** How many of the samples {@code x} the network scores highest at their label {@code t}. */
    private long hits(Tensor x, Tensor t) {
        Tensor scores = predict(x);
        if (scores.rank() != 2) {
            throw new ShapeMismatchException("accuracy: scores " + scores.shape() + ": expected a batch [N, C]");
        }
        Tensor labels = t.rank() == 2 ? t.argmax(1) : t;
        if (labels.shape().dim(0) != scores.shape().dim(0)) {
            throw new ShapeMismatchException("accuracy: scores " + scores.shape() + ", t " + t.shape()
                    + ": t must be class indices [N] or one-hot [N, C]");
        }
        return Math.round(scores.argmax(1).eq(labels).sum().item());
    }

    /**
     * The gradients of the loss by backpropagation, by parameter name (the book's {@code gradient}):
     * a forward pass, then backward through the loss layer and every layer in reverse (the first layer
     * computing its parameter gradients only), in the current mode; with weight decay, {@code λ·W} is
     * added to each weight's gradient (in a new tensor). The map is unmodifiable and new each call.
     *
     * @param x the inputs, {@code [N, inputs]}
     * @param t the labels: class indices {@code [N]} or one-hot {@code [N, classes]}
     * @return the gradient of each parameter, by the names of {@link #params()}, each of its parameter's shape
     */
    public Map<String, Tensor> gradient(Tensor x, Tensor t) {
        lastLoss = loss(x, t);
        Tensor dout = lossLayer.backward();
        for (int i = layers.size() - 1; i > 0; i--) {
            dout = layers.get(i).backward(dout);
        }
        // Nothing consumes the first layer's input gradient: let it skip computing one.
        layers.get(0).backwardParameters(dout);
        Tensor[] grads = new Tensor[networkName.length];
        String[] names = networkName;
        int count = 0;
        for (int k = 0; k < gradientLayer.length; k++) {
            Tensor g = layers.get(gradientLayer[k]).grads().get(gradientName[k]);
            if (g == null) {
                continue; // a layer may leave a parameter without a gradient
            }
            if (count != k) { // then the names no longer line up with the declared ones
                names = names == networkName ? networkName.clone() : names;
                names[count] = networkName[k];
            }
            grads[count++] = weightDecay > 0 && decayed.contains(networkName[k])
                    ? g.add(params.get(networkName[k]).mul(weightDecay)) : g;
        }
        return new NamedTensors(names, grads, count);
    }

    /**
     * The loss that the last {@link #gradient} computed in its forward pass (before any update), with the
     * weight decay term; {@code NaN} before the first. Lets a caller record the loss without a second
     * forward pass, which would draw new dropout masks and move batch normalisation's statistics again.
     *
     * @return the last gradient pass's loss, or {@code NaN}
     */
    public double lastLoss() {
        return lastLoss;
    }

    /**
     * The gradients by central differences (the book's {@code numerical_gradient}), by parameter name;
     * slow (two forward passes per parameter element), for checking {@link #gradient}. float64 only.
     *
     * @param x the inputs, {@code [N, inputs]}
     * @param t the labels: class indices {@code [N]} or one-hot {@code [N, classes]}
     * @return a new tensor per parameter, by the names of {@link #params()}, each of its parameter's shape;
     *     the parameters are perturbed during the computation and restored
     */
    public Map<String, Tensor> numericalGradient(Tensor x, Tensor t) {
        Map<String, Tensor> grads = new LinkedHashMap<>();
        params.forEach((name, p) -> grads.put(name, NumericalGradient.of(() -> loss(x, t), p)));
        return grads;
    }

    /**
     * The random generators' states of the {@link Stochastic} layers (dropout), in layer order: with
     * {@link #state()}, what a checkpoint needs so that resumed training draws the same masks.
     *
     * @return one state per stochastic layer, in layer order; empty without dropout
     */
    public List<Long> randomStates() {
        List<Long> states = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof Stochastic stochastic) {
                states.add(stochastic.randomState());
            }
        }
        return List.copyOf(states);
    }

    /**
     * Restores the states {@link #randomStates()} returned, one per {@link Stochastic} layer in order.
     *
     * @param states one state per stochastic layer, as {@link #randomStates()} returned them
     * @throws IllegalArgumentException if the count differs from the network's stochastic layers or a state
     *     is out of range; nothing is changed then
     */
    public void restoreRandomStates(List<Long> states) {
        List<Stochastic> stochastic = new ArrayList<>();
        for (Layer layer : layers) {
            if (layer instanceof Stochastic s) {
                stochastic.add(s);
            }
        }
        if (states.size() != stochastic.size()) {
            throw new IllegalArgumentException("Network: " + states.size() + " random states for the network's "
                    + stochastic.size() + " dropout layers; restore states saved from the same architecture");
        }
        for (long state : states) {
            if (state < 0 || state >= 1L << 48) {
                throw new IllegalArgumentException("Network: random state " + state + " is outside [0, 2^48)");
            }
        }
        for (int i = 0; i < states.size(); i++) {
            stochastic.get(i).restoreRandomState(states.get(i));
        }
    }

    /**
     * Everything a checkpoint must hold to restore this network: the parameters, then the layers'
     * buffers (batch normalisation's {@code running_mean1}, {@code running_var1}, ...), as live tensors.
     *
     * @return a new map of the live tensors (not copies), parameters first
     */
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>(params);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Layer layer : layers) {
            layer.buffers().forEach((name, buffer) -> state.put(name + counts.merge(name, 1, Integer::sum), buffer));
        }
        return Collections.unmodifiableMap(state);
    }

    /** The parameters of the layers, each name numbered by its occurrence: W1, b1, W2, ... */
    private static Map<String, Tensor> collect(List<Layer> layers) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Layer layer : layers) {
            layer.params().forEach((name, value) -> named.put(name + counts.merge(name, 1, Integer::sum), value));
        }
        return named;
    }

    /** The network names of the parameters that layers declare as {@code W}: W1, W2, ... */
    private static List<String> weightNames(List<Layer> layers) {
        List<String> names = new ArrayList<>();
        int k = 0;
        for (Layer layer : layers) {
            if (layer.params().containsKey("W")) {
                names.add("W" + ++k);
            }
        }
        return List.copyOf(names);
    }

    /** The layer types in order, e.g. {@code Affine -> Relu -> Affine -> SoftmaxWithLoss}. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        layers.forEach(l -> names.add(l.getClass().getSimpleName()));
        names.add(lossLayer.getClass().getSimpleName());
        return String.join(" -> ", names);
    }
}
