package org.nnjava.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnjava.io.CheckpointFormatException;
import org.nnjava.io.CheckpointMismatchException;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.io.Pickles;
import org.nnjava.io.UnreadableFileException;
import org.nnjava.net.DeepConvNet;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;

/**
 * The trained parameters that <i>Deep Learning from Scratch</i> ships as Python pickles, loaded into the
 * library's networks: {@code ch03/sample_weight.pkl} (the 784-50-100-10 sigmoid network of
 * {@code ch03/neuralnet_mnist.py}, a {@link org.nnjava.net.MultiLayerNetExtend} with hidden sizes 50, 100
 * and sigmoid: {@code W1 [784, 50], b1, W2 [50, 100], b2, W3 [100, 10], b3}, float32),
 * {@code ch07/params.pkl} ({@link org.nnjava.net.SimpleConvNet}, {@code W1 [30, 1, 5, 5]} ...
 * {@code b3}) and {@code ch08/deep_convnet_params.pkl} ({@link DeepConvNet}, {@code W1 ... W8},
 * {@code b1 ... b8}). The file is read by {@link Pickles}, which runs nothing from it.
 *
 * <p>Every key and shape is checked against the network's parameters before anything is set; a file
 * that does not fit is a {@link CheckpointMismatchException} naming every missing, extra and mismatched
 * key with both shapes. float32 arrays load into float64 networks and float64 arrays into float32 ones
 * (rounded), as {@link Npz#assign} converts.
 *
 * <p>The one conversion, in {@link #toLibrary}: the book's {@code Dropout} ({@code common/layers.py}) is
 * not inverted: at inference it multiplies by {@code 1 − ratio}. Ours is inverted, the identity at
 * inference. For the same scores a {@link NetworkSpec.Kind#DEEP_CONVNET DeepConvNet} therefore takes the
 * book's {@code W8} (the weight right after the hidden dropout) times
 * {@code 1 − }{@link DeepConvNet#DROPOUT_RATIO}; {@code b8} is unchanged, since the book's dropout acts on
 * the activations before {@code W8}, not after the bias. The book's second dropout, on the scores, only
 * scales every score by {@code 1 − ratio}: the predicted class does not change, and our network has none,
 * so its scores are the book's divided by {@code 1 − ratio}. The other kinds have no dropout and need no
 * conversion.
 */
public final class BookWeights {

    private BookWeights() {
    }

    /**
     * The book's parameters as the library's network of {@code kind} needs them: for
     * {@link NetworkSpec.Kind#DEEP_CONVNET}, {@code W8} multiplied by {@code 1 − DeepConvNet.DROPOUT_RATIO}
     * (in its own dtype; a factor 0.5 is exact); every other array, and every array of the other kinds, as
     * it is. Shapes are not checked here ({@link #restore} does).
     *
     * @param kind the network the parameters are for
     * @param bookParams the book's parameters by name, as the pickle holds them; not modified
     * @return a new unmodifiable map, in {@code bookParams}' order
     */
    public static Map<String, NpyArray> toLibrary(NetworkSpec.Kind kind, Map<String, NpyArray> bookParams) {
        Map<String, NpyArray> converted = new LinkedHashMap<>(bookParams);
        NpyArray w8 = bookParams.get("W8");
        if (kind == NetworkSpec.Kind.DEEP_CONVNET && w8 != null) {
            converted.put("W8", scaled(w8, 1 - DeepConvNet.DROPOUT_RATIO));
        }
        return Collections.unmodifiableMap(converted);
    }

    private static NpyArray scaled(NpyArray array, double factor) {
        int[] dims = array.shape().dims();
        if (array.dtype() == DType.FLOAT32) {
            float[] values = array.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (values[i] * factor);
            }
            return NpyArray.ofFloat32(values, dims);
        }
        double[] values = array.toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return NpyArray.ofFloat64(values, dims);
    }

    /**
     * A network built from {@code spec} on {@code backend} holding the book's parameters, converted by
     * {@link #toLibrary}; every key and shape is checked first, and nothing is set unless all fit.
     *
     * @param bookParams the book's parameters by name
     * @param spec the architecture the parameters belong to
     * @param backend the backend (and dtype) of the network's tensors
     * @param where the parameters' origin, starting every message (e.g. {@code "pickle params.pkl"})
     * @return the new network, in training mode, holding the parameters
     * @throws CheckpointMismatchException naming each missing, unexpected or differently shaped key, with
     *     both shapes
     */
    public static Network restore(Map<String, NpyArray> bookParams, NetworkSpec spec, Backend backend, String where)
            throws CheckpointMismatchException {
        Network network = spec.build(backend);
        Npz.assign(toLibrary(spec.kind(), bookParams), network.state(), where);
        return network;
    }

    /**
     * Reads a pickle of the book's parameters ({@link Pickles#load(Path)}) and {@linkplain #restore restores}
     * a network of {@code spec} from it.
     *
     * @param pickle the book's {@code .pkl} file
     * @param spec the architecture the file's parameters belong to
     * @param backend the backend (and dtype) of the network's tensors
     * @return the new network holding the file's parameters
     * @throws CheckpointFormatException if the file is not a pickle of a dict of float arrays, or does
     *     anything else
     * @throws CheckpointMismatchException if its keys or shapes do not fit {@code spec}'s network
     * @throws UnreadableFileException if the file is not a readable regular file
     * @throws IOException if reading fails
     */
    public static Network load(Path pickle, NetworkSpec spec, Backend backend) throws IOException {
        return restore(Pickles.load(pickle), spec, backend, "pickle " + pickle);
    }
}
