package org.nnjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.io.Npz;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.optim.Adam;
import org.nnjava.reference.ReferenceBackend;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;

/** A checkpoint records a convnet's kind and rebuilds it, its dropout generator included. */
class ConvNetCheckpointTest {

    private static final Backend ND = new ReferenceBackend(DType.FLOAT32);

    @TempDir
    Path dir;

    @Test
    void theKindIsRecordedAndTheNetworkRestored() throws Exception {
        for (NetworkSpec.Kind kind : List.of(NetworkSpec.Kind.SIMPLE_CONVNET, NetworkSpec.Kind.DEEP_CONVNET)) {
            NetworkSpec spec = NetworkSpec.convNet(kind, 784, 10, 9);
            Network network = spec.build(ND);
            network.params().get("W1").mulInPlace(3); // something the seed alone does not give
            Path file = dir.resolve(kind.label() + ".npz");
            Checkpoint.save(file, network, spec, new Adam(), new TrainingSetup("mnist-sample", 8000, DType.FLOAT32, 100, 1),
                    TrainingResult.none());
            String json = new String(Npz.loadArchive(file).file(Checkpoint.METADATA), StandardCharsets.UTF_8);
            assertEquals(true, json.contains("\"kind\" : \"" + kind.label() + "\""), json);
            Checkpoint loaded = Checkpoint.load(file);
            assertEquals(spec, loaded.network().orElseThrow());
            Network restored = loaded.restoreNetwork(loaded.network().orElseThrow(), ND);
            assertEquals(network.getClass(), restored.getClass());
            network.state().forEach((name, t) -> assertArrayEquals(t.toDoubleArray(),
                    restored.state().get(name).toDoubleArray(), 0.0, name));
            assertEquals(network.randomStates(), restored.randomStates());
        }
    }
}
