package org.nnjava.benchmarks.bench;

import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nnjava.tensor.DType;

/**
 * The peer a Java user would pick instead: DL4J's {@link MultiLayerNetwork} with the same layers
 * (dense 784-H ReLU, softmax output with multi-class cross-entropy), the library's initial weights, SGD
 * with the same learning rate and the same minibatches, written as a DL4J user would: gather the rows
 * ({@link Nd4j#pullRows}), {@code fit}, then the batch's score after the update, as the library's step
 * computes its loss. Built (and its ND4J loaded) before anything is timed.
 */
final class Dl4jContestant extends Contestant {

    private final MultiLayerNetwork network;
    private final INDArray x;
    private final INDArray t;
    private final int[][] rows;
    private final int threads;

    /** @param threads the OpenMP and OpenBLAS threads ND4J gets, as the nnjava nd4j backend sets them */
    Dl4jContestant(BenchData data, DType dtype, int threads) {
        super(data.rows().length);
        this.rows = data.rows();
        this.threads = threads;
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        DataType type = dtype == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(data.seed())
                .dataType(type)
                .updater(new Sgd(data.learningRate()))
                .list()
                .layer(new DenseLayer.Builder().nIn(data.inputs()).nOut(data.hidden()).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(data.hidden()).nOut(data.classes())
                        .activation(Activation.SOFTMAX).build())
                .build();
        network = new MultiLayerNetwork(conf);
        network.init();
        Map<String, double[]> w = data.initialWeights(dtype);
        network.setParam("0_W", Nd4j.create(w.get("W1"), new long[] {data.inputs(), data.hidden()}, type));
        network.setParam("0_b", Nd4j.create(w.get("b1"), new long[] {1, data.hidden()}, type));
        network.setParam("1_W", Nd4j.create(w.get("W2"), new long[] {data.hidden(), data.classes()}, type));
        network.setParam("1_b", Nd4j.create(w.get("b2"), new long[] {1, data.classes()}, type));
        x = Nd4j.create(data.x(), new long[] {data.samples(), data.inputs()}, type);
        t = Nd4j.create(data.t(), new long[] {data.samples(), data.classes()}, type);
    }

    @Override
    Kind kind() {
        return Kind.DL4J;
    }

    @Override
    String name() {
        return "dl4j";
    }

    @Override
    String threads() {
        return String.valueOf(threads);
    }

    @Override
    String describe() {
        return "DL4J " + version() + ": MultiLayerNetwork.fit on ND4J"
                + " (" + Nd4j.getBackend().getClass().getSimpleName() + ")";
    }

    /** deeplearning4j-nn's version, from the pom.properties its jar carries. */
    static String version() {
        try (java.io.InputStream in = MultiLayerNetwork.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(version unknown)");
        } catch (java.io.IOException e) {
            return "(version unknown)";
        }
    }

    @Override
    double run(int from, int count) {
        long start = System.nanoTime();
        for (int k = from; k < from + count; k++) {
            INDArray xBatch = Nd4j.pullRows(x, 1, rows[k]);
            INDArray tBatch = Nd4j.pullRows(t, 1, rows[k]);
            network.fit(xBatch, tBatch);
            recordLoss(k, network.score(new DataSet(xBatch, tBatch)));
        }
        return (System.nanoTime() - start) / 1e6 / count;
    }

    @Override
    String computedDtypes() {
        return network.params().dataType() == DataType.DOUBLE ? "float64" : "float32";
    }
}
