package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnjava.backend.ejml.EjmlBackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

class ImageDataSetTest {

    /** Three 2x2 training images and two test images; pixel values chosen so that v / 255 is inexact. */
    private static final int[] TRAIN_PIXELS = {0, 255, 1, 128, 7, 3, 200, 100, 51, 52, 53, 254};
    private static final int[] TRAIN_LABELS = {3, 0, 9};
    private static final int[] TEST_PIXELS = {10, 20, 30, 40, 250, 251, 252, 253};
    private static final int[] TEST_LABELS = {1, 1};

    @Test
    void pairsImagesWithLabels() throws IOException {
        ImageDataSet data = sample();

        assertEquals("tiny", data.name());
        assertEquals(3, data.train().count());
        assertEquals(2, data.test().count());
        assertEquals(9, data.train().label(2));
        assertEquals(10, data.classes());
        assertEquals("tiny: 3 training and 2 test images", data.toString());
    }

    @Test
    void labelAndImageCountsMustAgree() throws IOException {
        IdxArray images = array("images.idx", IdxBytes.ubyte(new int[] {3, 2, 2}, TRAIN_PIXELS));
        IdxArray labels = array("labels.idx", IdxBytes.ubyte(new int[] {2}, 1, 2));

        DataSetMismatchException e = assertThrows(DataSetMismatchException.class, () -> LabeledImages.of(images, labels, 10));

        assertEquals("labels.idx holds 2 labels but images.idx holds 3 images; the two files must come from the same"
                + " data set and part", e.getMessage());
    }

    @Test
    void imagesMustBeRank3UnsignedBytes() throws IOException {
        IdxArray labels = array("labels.idx", IdxBytes.ubyte(new int[] {2}, 1, 2));
        IdxArray flat = array("flat.idx", IdxBytes.ubyte(new int[] {2, 4}, new int[8]));
        IdxArray floats = array("floats.idx", IdxBytes.idx(0x0D, new int[] {2, 1, 1}, 0.5, 0.25));

        DataSetMismatchException rank = assertThrows(DataSetMismatchException.class, () -> LabeledImages.of(flat, labels, 10));
        DataSetMismatchException type = assertThrows(DataSetMismatchException.class, () -> LabeledImages.of(floats, labels, 10));

        assertEquals("flat.idx: expected images as 0x08 unsigned byte [count, rows, columns], found 0x08 unsigned byte"
                + " [2, 4]", rank.getMessage());
        assertEquals("floats.idx: expected images as 0x08 unsigned byte [count, rows, columns], found 0x0D float"
                + " [2, 1, 1]", type.getMessage());
    }

    @Test
    void labelsMustBeRank1UnsignedBytesWithinTheClasses() throws IOException {
        IdxArray images = array("images.idx", IdxBytes.ubyte(new int[] {2, 1, 1}, 0, 0));
        IdxArray wide = array("wide.idx", IdxBytes.idx(0x0C, new int[] {2}, 1, 2));
        IdxArray eleven = array("eleven.idx", IdxBytes.ubyte(new int[] {2}, 9, 10));

        DataSetMismatchException type = assertThrows(DataSetMismatchException.class, () -> LabeledImages.of(images, wide, 10));
        DataSetMismatchException range = assertThrows(DataSetMismatchException.class, () -> LabeledImages.of(images, eleven, 10));

        assertEquals("wide.idx: expected labels as 0x08 unsigned byte [count], found 0x0C int [2]", type.getMessage());
        assertEquals("eleven.idx: label 1 is 10, outside the classes 0..9", range.getMessage());
    }

    @Test
    void trainingAndTestImagesMustHaveOneSize() throws IOException {
        IdxArray trainImages = array("train-images", IdxBytes.ubyte(new int[] {1, 2, 2}, 1, 2, 3, 4));
        IdxArray testImages = array("t10k-images", IdxBytes.ubyte(new int[] {1, 1, 4}, 1, 2, 3, 4));
        IdxArray labels = array("labels", IdxBytes.ubyte(new int[] {1}, 5));

        DataSetMismatchException e = assertThrows(DataSetMismatchException.class,
                () -> ImageDataSet.of("odd", trainImages, labels, testImages, labels));

        assertEquals("odd: training images (train-images) are [2, 2] pixels but test images (t10k-images) are [1, 4]"
                + " pixels; both parts must come from the same data set", e.getMessage());
    }

    static Stream<Arguments> optionsAndDtypes() {
        return Stream.of(DType.FLOAT64, DType.FLOAT32).flatMap(dtype -> Stream.of(false, true).flatMap(normalize ->
                Stream.of(false, true).flatMap(flatten -> Stream.of(false, true).map(oneHot ->
                        Arguments.of(dtype, new LoadOptions(normalize, flatten, oneHot))))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("optionsAndDtypes")
    void becomesTensorsAsTheBooksLoadMnist(DType dtype, LoadOptions options) throws IOException {
        Backend backend = new EjmlBackendProvider().create(dtype);

        TensorDataSet tensors = sample().toTensors(backend, options);

        assertEquals("tiny", tensors.name());
        assertEquals(10, tensors.classes());
        assertEquals(3, tensors.trainSize());
        assertEquals(2, tensors.testSize());
        assertImages(tensors.xTrain(), TRAIN_PIXELS, 3, dtype, options);
        assertImages(tensors.xTest(), TEST_PIXELS, 2, dtype, options);
        assertLabels(tensors.tTrain(), TRAIN_LABELS, options);
        assertLabels(tensors.tTest(), TEST_LABELS, options);
    }

    @Test
    void theBooksDefaultsNormaliseFlattenAndKeepClassIndices() {
        assertEquals(new LoadOptions(true, true, false), LoadOptions.BOOK_DEFAULTS);
    }

    /** The oracle: the book's load_mnist on the pixel list, written out as plain loops. */
    private static void assertImages(Tensor x, int[] pixels, int count, DType dtype, LoadOptions options) {
        int[] shape = options.flatten() ? new int[] {count, 4} : new int[] {count, 1, 2, 2};
        assertArrayEquals(shape, x.shape().dims());
        double[] expected = new double[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            if (!options.normalize()) {
                expected[i] = pixels[i];
            } else {
                expected[i] = dtype == DType.FLOAT32 ? (double) ((float) pixels[i] / 255f) : pixels[i] / 255.0;
            }
        }
        assertArrayEquals(expected, x.toDoubleArray());
    }

    private static void assertLabels(Tensor t, int[] labels, LoadOptions options) {
        if (!options.oneHotLabel()) {
            assertArrayEquals(new int[] {labels.length}, t.shape().dims());
            assertArrayEquals(Arrays.stream(labels).asDoubleStream().toArray(), t.toDoubleArray());
            return;
        }
        assertArrayEquals(new int[] {labels.length, 10}, t.shape().dims());
        double[] values = t.toDoubleArray();
        for (int i = 0; i < labels.length; i++) {
            for (int k = 0; k < 10; k++) {
                assertEquals(k == labels[i] ? 1.0 : 0.0, values[i * 10 + k], "row " + i + ", class " + k);
            }
        }
    }

    private static ImageDataSet sample() throws IOException {
        return ImageDataSet.of("tiny",
                array("train-images", IdxBytes.ubyte(new int[] {3, 2, 2}, TRAIN_PIXELS)),
                array("train-labels", IdxBytes.ubyte(new int[] {3}, TRAIN_LABELS)),
                array("t10k-images", IdxBytes.ubyte(new int[] {2, 2, 2}, TEST_PIXELS)),
                array("t10k-labels", IdxBytes.ubyte(new int[] {2}, TEST_LABELS)));
    }

    private static IdxArray array(String source, byte[] bytes) throws IOException {
        return IdxReader.read(new ByteArrayInputStream(bytes), source);
    }
}
