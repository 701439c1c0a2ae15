package org.nnjava.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nnjava.io.CheckpointFormatException;
import org.nnjava.net.Activation;
import org.nnjava.net.NetworkSpec;
import org.nnjava.net.WeightInit;
import org.nnjava.tensor.DType;

/**
 * The {@code checkpoint.json} entry of a checkpoint: the architecture, the optimizer, the training setup
 * and the random generators' states, as JSON. Reading is bounded (nesting, string and number lengths)
 * and checks every field's type and range; anything else is a {@link CheckpointFormatException} that
 * names the file, the entry and the field.
 */
final class CheckpointJson {

    static final String FORMAT = "nnjava-checkpoint";
    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(4096)
                    .maxNumberLength(64).build())
            .build());

    /** The metadata as a checkpoint holds it. */
    record Metadata(NetworkSpec network, String optimizer, double learningRate, TrainingSetup setup, int iterations,
            List<Long> randomStates, double elapsedSeconds) {
    }

    private CheckpointJson() {
    }

    static byte[] write(Metadata m) {
        ObjectNode root = MAPPER.createObjectNode().put("format", FORMAT).put("version", VERSION);
        NetworkSpec n = m.network();
        ObjectNode net = root.putObject("network").put("kind", n.kind().label()).put("input_size", n.inputSize());
        ArrayNode hidden = net.putArray("hidden");
        n.hidden().forEach(hidden::add);
        net.put("output_size", n.outputSize()).put("activation", n.activation().name().toLowerCase(Locale.ROOT))
                .put("init", n.init() == null ? "default" : n.init().name().toLowerCase(Locale.ROOT))
                .put("init_std", n.initStd()).put("batch_norm", n.batchNorm()).put("dropout", n.dropout())
                .put("weight_decay", n.weightDecay()).put("seed", n.seed());
        root.putObject("optimizer").put("name", m.optimizer()).put("learning_rate", m.learningRate());
        TrainingSetup s = m.setup();
        ObjectNode training = root.putObject("training").put("dataset", s.dataset()).put("train_size", s.trainSize())
                .put("dtype", s.dtype().label()).put("batch_size", s.batchSize()).put("seed", s.seed())
                .put("iterations", m.iterations()).put("elapsed_seconds", m.elapsedSeconds());
        ArrayNode states = training.putArray("random_states");
        m.randomStates().forEach(states::add);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checkpoint: could not write the metadata as JSON", e);
        }
    }

    static Metadata read(byte[] bytes, String where) throws CheckpointFormatException {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointFormatException(where + ": not valid JSON: " + e.getMessage(), e);
        }
        Fields f = new Fields(where);
        if (root == null || !root.isObject() || !FORMAT.equals(f.text(root, "format"))) {
            throw new CheckpointFormatException(where + ": not an nnjava checkpoint's metadata (expected an object"
                    + " with \"format\": \"" + FORMAT + "\")");
        }
        long version = f.integer(root, "version", 1, Integer.MAX_VALUE);
        if (version != VERSION) {
            throw new CheckpointFormatException(where + ": checkpoint format version " + version + " is newer than"
                    + " this nnjava reads (" + VERSION + "); use the nnjava version that wrote it, or a newer one");
        }
        NetworkSpec network = network(f, f.object(root, "network"));
        JsonNode optimizer = f.object(root, "optimizer");
        JsonNode training = f.object(root, "training");
        TrainingSetup setup;
        try {
            setup = new TrainingSetup(f.text(training, "dataset"), (int) f.integer(training, "train_size", 1, Integer.MAX_VALUE),
                    DType.parse(f.text(training, "dtype")), (int) f.integer(training, "batch_size", 1, Integer.MAX_VALUE),
                    f.integer(training, "seed", Long.MIN_VALUE, Long.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(where + ": training: " + e.getMessage(), e);
        }
        List<Long> states = new ArrayList<>();
        JsonNode array = f.array(training, "random_states");
        for (int i = 0; i < array.size(); i++) {
            states.add(f.integerValue(array.get(i), "training.random_states[" + i + "]", 0, (1L << 48) - 1));
        }
        return new Metadata(network, f.text(optimizer, "name"), f.number(optimizer, "learning_rate"), setup,
                (int) f.integer(training, "iterations", 0, Integer.MAX_VALUE), states,
                f.number(training, "elapsed_seconds"));
    }

    private static NetworkSpec network(Fields f, JsonNode net) throws CheckpointFormatException {
        JsonNode hiddenArray = f.array(net, "hidden");
        List<Integer> hidden = new ArrayList<>();
        for (int i = 0; i < hiddenArray.size(); i++) {
            hidden.add((int) f.integerValue(hiddenArray.get(i), "network.hidden[" + i + "]", 1, Integer.MAX_VALUE));
        }
        try {
            String init = f.text(net, "init");
            return new NetworkSpec(NetworkSpec.Kind.parse(f.text(net, "kind")),
                    (int) f.integer(net, "input_size", 1, Integer.MAX_VALUE), hidden,
                    (int) f.integer(net, "output_size", 1, Integer.MAX_VALUE), Activation.parse(f.text(net, "activation")),
                    "default".equals(init) ? null : WeightInit.parse(init), f.number(net, "init_std"),
                    f.bool(net, "batch_norm"), f.number(net, "dropout"), f.number(net, "weight_decay"),
                    f.integer(net, "seed", Long.MIN_VALUE, Long.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(f.where + ": network: " + e.getMessage(), e);
        }
    }

    /** Typed, range-checked reads of one object's fields, each failure naming the field. */
    private static final class Fields {
        private final String where;

        Fields(String where) {
            this.where = where;
        }

        private JsonNode field(JsonNode node, String name) throws CheckpointFormatException {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw new CheckpointFormatException(where + ": the field \"" + name + "\" is missing");
            }
            return value;
        }

        JsonNode object(JsonNode node, String name) throws CheckpointFormatException {
            JsonNode value = field(node, name);
            if (!value.isObject()) {
                throw wrong(name, "an object", value);
            }
            return value;
        }

        JsonNode array(JsonNode node, String name) throws CheckpointFormatException {
            JsonNode value = field(node, name);
            if (!value.isArray() || value.size() > 1024) {
                throw wrong(name, "an array of at most 1024 values", value);
            }
            return value;
        }

        String text(JsonNode node, String name) throws CheckpointFormatException {
            JsonNode value = field(node, name);
            if (!value.isTextual()) {
                throw wrong(name, "a string", value);
            }
            return value.textValue();
        }

        boolean bool(JsonNode node, String name) throws CheckpointFormatException {
            JsonNode value = field(node, name);
            if (!value.isBoolean()) {
                throw wrong(name, "true or false", value);
            }
            return value.booleanValue();
        }

        double number(JsonNode node, String name) throws CheckpointFormatException {
            JsonNode value = field(node, name);
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw wrong(name, "a finite number", value);
            }
            return value.doubleValue();
        }

        long integer(JsonNode node, String name, long min, long max) throws CheckpointFormatException {
            return integerValue(field(node, name), name, min, max);
        }

        long integerValue(JsonNode value, String name, long min, long max) throws CheckpointFormatException {
            if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min
                    || value.longValue() > max) {
                throw wrong(name, "a whole number from " + min + " to " + max, value);
            }
            return value.longValue();
        }

        private CheckpointFormatException wrong(String name, String expected, JsonNode value) {
            String found = value == null ? "nothing" : value.toString();
            if (found.length() > 80) {
                found = found.substring(0, 80) + "...";
            }
            return new CheckpointFormatException(where + ": the field \"" + name + "\" must be " + expected
                    + ", found " + found);
        }
    }
}
