package org.nnjava.io;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.nnjava.io.PickleBytes.NUMPY2;
import static org.nnjava.io.PickleBytes.f8;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken pickles, written by hand: every one must be refused with a
 * {@link CheckpointFormatException} whose message names the culprit (the global, the opcode and its
 * offset, the dtype, the bound), never with another exception, and never by running or allocating
 * what the file asks for.
 */
class PickleRefusalTest {

    private static CheckpointFormatException refused(byte[] pickle, String... expectedParts) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> Pickles.read(pickle, "pickle evil.pkl", 1L << 30));
        for (String part : expectedParts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' missing from: " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("pickle evil.pkl: "), e.getMessage());
        return e;
    }

    /** {@code os.system('echo pwned')}, the classic. */
    @Test
    void refusesOsSystemAtItsGlobal() {
        byte[] pickle = PickleBytes.protocol(2).global("os", "system").unicode("echo pwned").tuple1().reduce()
                .stop().bytes();
        CheckpointFormatException e = refused(pickle, "GLOBAL at byte 2", "global os.system is not allowed",
                "only NumPy arrays and dicts of them can be read; this file may be unsafe");
        assertEquals("pickle evil.pkl: GLOBAL at byte 2: global os.system is not allowed: only NumPy arrays and"
                + " dicts of them can be read; this file may be unsafe", e.getMessage());
    }

    static Stream<Arguments> forbiddenGlobals() {
        return Stream.of(Arguments.of("builtins", "eval"), Arguments.of("__builtin__", "eval"),
                Arguments.of("subprocess", "Popen"), Arguments.of("builtins", "getattr"),
                Arguments.of("numpy", "load"), Arguments.of("numpy.core.multiarray", "_reconstruct_"),
                Arguments.of("numpy.testing._private.utils", "runstring"), Arguments.of("copyreg", "_reconstructor"),
                Arguments.of("builtins", "bytearray"), Arguments.of("collections", "defaultdict"));
    }

    @ParameterizedTest
    @MethodSource("forbiddenGlobals")
    void refusesEveryOtherGlobal(String module, String name) {
        refused(PickleBytes.protocol(3).global(module, name).stop().bytes(), "GLOBAL at byte 2",
                "global " + module + "." + name + " is not allowed");
    }

    @Test
    void refusesPosixSystemThroughStackGlobal() {
        byte[] pickle = PickleBytes.protocol(4).op(0x95).u64(26).stackGlobal("posix", "system")
                .unicode("id").tuple1().reduce().stop().bytes();
        refused(pickle, "STACK_GLOBAL at byte 26", "global posix.system is not allowed", "may be unsafe");
    }

    @Test
    void escapesAHostileNameInTheMessage() {
        CheckpointFormatException e = refused(PickleBytes.protocol(4).stackGlobal("os\u001b[2J", "x'y").stop()
                .bytes(), "STACK_GLOBAL", "global 'os\\x1b[2J.x\\x27y' is not allowed");
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), e.getMessage());
    }

    @Test
    void refusesReconstructWithAClassOtherThanNdarray() {
        byte[] pickle = PickleBytes.protocol(3).global(NUMPY2 + ".multiarray", "_reconstruct")
                .global("numpy", "dtype").int1(0).tuple1().bytes(new byte[] {'b'}).tuple3().reduce().stop().bytes();
        refused(pickle, "REDUCE at byte", "_reconstruct's class is a global numpy.dtype; only numpy.ndarray");
        byte[] withString = PickleBytes.protocol(3).global(NUMPY2 + ".multiarray", "_reconstruct")
                .unicode("os.system").int1(0).tuple1().bytes(new byte[] {'b'}).tuple3().reduce().stop().bytes();
        refused(withString, "REDUCE", "_reconstruct's class is a str");
        byte[] otherShape = PickleBytes.protocol(3).global(NUMPY2 + ".multiarray", "_reconstruct")
                .global("numpy", "ndarray").int4(1 << 30).tuple1().bytes(new byte[] {'b'}).tuple3().reduce()
                .stop().bytes();
        refused(otherShape, "REDUCE", "_reconstruct's shape is a tuple of 1; NumPy writes (0,)");
    }

    @Test
    void refusesCodecsEncodeWithAnotherCodecOrText() {
        byte[] zlib = PickleBytes.protocol(2).global("_codecs", "encode").unicode("x").unicode("zlib_codec")
                .tuple2().reduce().stop().bytes();
        refused(zlib, "REDUCE", "_codecs.encode's codec is 'zlib_codec'; only 'latin1'");
        byte[] wide = PickleBytes.protocol(2).global("_codecs", "encode").unicode("a\u0101").unicode("latin1")
                .tuple2().reduce().stop().bytes();
        refused(wide, "REDUCE", "U+0101 at index 1, which latin-1 cannot encode");
        byte[] oneArgument = PickleBytes.protocol(2).global("_codecs", "encode").unicode("x").tuple1().reduce()
                .stop().bytes();
        refused(oneArgument, "REDUCE", "_codecs.encode is called with 1 arguments");
        byte[] bytesWithArguments = PickleBytes.protocol(2).global("builtins", "bytes").int4(1 << 30).tuple1()
                .reduce().stop().bytes();
        refused(bytesWithArguments, "REDUCE", "builtins.bytes is called with 1 arguments");
    }

    @Test
    void refusesObjectIntegerAndOtherDtypesByName() {
        refused(dtypeOnly("O8"), "REDUCE", "numpy.dtype('O8') is an object dtype",
                "pickled Python objects, which are never loaded");
        refused(dtypeOnly("i8"), "numpy.dtype('i8') is an integer dtype");
        refused(dtypeOnly("u1"), "numpy.dtype('u1') is an integer dtype");
        refused(dtypeOnly("b1"), "numpy.dtype('b1') is a boolean dtype");
        refused(dtypeOnly("c16"), "numpy.dtype('c16') is a complex dtype");
        refused(dtypeOnly("f2"), "numpy.dtype('f2') is a float of another width");
        refused(dtypeOnly("V16"), "numpy.dtype('V16') is not supported", "only float32 ('f4') and float64 ('f8')");
    }

    private static byte[] dtypeOnly(String name) {
        return PickleBytes.protocol(3).global("numpy", "dtype").unicode(name).bool(false).bool(true).tuple3()
                .reduce().stop().bytes();
    }

    @Test
    void refusesDtypeStatesOtherThanAPlainByteOrder() {
        byte[] pipe = PickleBytes.protocol(3).global("numpy", "dtype").unicode("f8").bool(false).bool(true)
                .tuple3().reduce().mark().int1(3).unicode("|").none().none().none().int4(-1).int4(-1).int1(0)
                .tuple().build().stop().bytes();
        refused(pipe, "BUILD at byte", "has byte order '|'");
        byte[] structured = PickleBytes.protocol(3).global("numpy", "dtype").unicode("f8").bool(false).bool(true)
                .tuple3().reduce().mark().int1(3).unicode("<").none().emptyTuple().none().int4(-1).int4(-1)
                .int1(0).tuple().build().stop().bytes();
        refused(structured, "BUILD", "a structured dtype");
        byte[] version4 = PickleBytes.protocol(3).global("numpy", "dtype").unicode("f8").bool(false).bool(true)
                .tuple3().reduce().mark().int1(4).unicode("<").none().none().none().int4(-1).int4(-1).int1(0)
                .tuple().build().stop().bytes();
        refused(version4, "BUILD", "has version 4");
    }

    @Test
    void refusesBuildOnAnythingButAnArrayOrDtypeBeingRebuilt() {
        refused(PickleBytes.protocol(3).emptyDict().emptyDict().build().stop().bytes(),
                "BUILD at byte 4", "sets the state of a dict");
        refused(PickleBytes.protocol(3).global("collections", "OrderedDict").emptyTuple().reduce().emptyDict()
                .build().stop().bytes(), "BUILD", "sets the state of an OrderedDict");
        byte[] twice = PickleBytes.protocol(3).dtype("f8", "<").mark().int1(3).unicode(">").none().none().none()
                .int4(-1).int4(-1).int1(0).tuple().build().stop().bytes();
        refused(twice, "BUILD", "numpy.dtype('f8') a second time");
    }

    @Test
    void refusesReduceOnAnythingButAnAllowedGlobal() {
        refused(PickleBytes.protocol(3).unicode("os.system").emptyTuple().reduce().stop().bytes(),
                "REDUCE at byte", "it calls a str");
        refused(PickleBytes.protocol(3).global("numpy", "ndarray").intTuple(2).reduce().stop().bytes(),
                "REDUCE", "numpy.ndarray may not be called");
        refused(PickleBytes.protocol(3).global("numpy", "dtype").unicode("f8").reduce().stop().bytes(),
                "REDUCE", "the arguments of numpy.dtype are a str, not a tuple");
    }

    @Test
    void refusesAnArrayWhoseDtypeHasNoStateOrWhoseDataDoesNotFitItsShape() {
        byte[] noState = PickleBytes.protocol(3).emptyDict().unicode("W")
                .global(NUMPY2 + ".multiarray", "_reconstruct").global("numpy", "ndarray").int1(0).tuple1()
                .bytes(new byte[] {'b'}).tuple3().reduce()
                .mark().int1(1).intTuple(1).global("numpy", "dtype").unicode("f8").bool(false).bool(true).tuple3()
                .reduce().bool(false).bytes(new byte[8]).tuple().build().setItem().stop().bytes();
        refused(noState, "BUILD", "was never given its state (BUILD), so its byte order is unknown");
        byte[] short1 = PickleBytes.protocol(3).emptyDict()
                .item("W", new int[] {2, 3}, "f8", "<", false, new byte[47]).stop().bytes();
        refused(short1, "BUILD", "an array of shape (2, 3) and dtype '<f8' needs 48 bytes of data, but its data has 47");
        byte[] overflow = PickleBytes.protocol(3).emptyDict()
                .item("W", new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 4}, "f8", "<", false, new byte[8])
                .stop().bytes();
        refused(overflow, "BUILD", "has more than 2147483647 elements");
        byte[] negative = PickleBytes.protocol(3).emptyDict()
                .item("W", new int[] {2, -3}, "f8", "<", false, new byte[8]).stop().bytes();
        refused(negative, "BUILD", "has -3 as dimension 1");
        byte[] neverBuilt = PickleBytes.protocol(3).emptyDict().unicode("W")
                .global(NUMPY2 + ".multiarray", "_reconstruct").global("numpy", "ndarray").int1(0).tuple1()
                .bytes(new byte[] {'b'}).tuple3().reduce().setItem().stop().bytes();
        refused(neverBuilt, "the value of 'W' is a numpy.ndarray that was never given its data (BUILD)");
    }

    @Test
    void refusesATopLevelObjectOtherThanADictOfArrays() {
        byte[] list = PickleBytes.protocol(3).emptyList().stop().bytes();
        CheckpointFormatException e = refused(list, "the pickle holds a list; only a dict");
        assertEquals("pickle evil.pkl: the pickle holds a list; only a dict (or collections.OrderedDict) from names"
                + " to NumPy arrays is read, as pickle.dump(params, f) writes it", e.getMessage());
        refused(PickleBytes.protocol(3).emptyDict().unicode("lr").int1(1).setItem().stop().bytes(),
                "the value of 'lr' is an int; every value must be a NumPy float array");
        refused(PickleBytes.protocol(3).emptyDict().int1(1).unicode("x").setItem().stop().bytes(),
                "SETITEM at byte", "a dict key is an int; only str keys");
        refused(PickleBytes.protocol(3).emptyList().emptyList().op('a').op('2').op('a').stop().bytes(),
                "the pickle holds a list");
    }

    static Stream<Arguments> refusedOpcodes() {
        return Stream.of(
                Arguments.of(0x81, "NEWOBJ", "creates an instance of a class"),
                Arguments.of(0x92, "NEWOBJ_EX", "creates an instance of a class"),
                Arguments.of((int) 'i', "INST", "creates an instance of a class"),
                Arguments.of((int) 'o', "OBJ", "creates an instance of a class"),
                Arguments.of((int) 'P', "PERSID", "persistent id"),
                Arguments.of((int) 'Q', "BINPERSID", "persistent id"),
                Arguments.of(0x82, "EXT1", "extension code"),
                Arguments.of(0x83, "EXT2", "extension code"),
                Arguments.of(0x84, "EXT4", "extension code"),
                Arguments.of(0x97, "NEXT_BUFFER", "out-of-band buffers"),
                Arguments.of(0x98, "READONLY_BUFFER", "out-of-band buffers"),
                Arguments.of(0x8f, "EMPTY_SET", "sets are not part"),
                Arguments.of(0x91, "FROZENSET", "sets are not part"),
                Arguments.of((int) 'I', "INT", "protocol 0 text opcode"),
                Arguments.of((int) 'S', "STRING", "protocol 0 text opcode"),
                Arguments.of((int) 'g', "GET", "protocol 0 text opcode"),
                Arguments.of(0xff, "opcode 0xff", "not a pickle opcode of any protocol"),
                Arguments.of(0x00, "opcode 0x00", "not a pickle opcode of any protocol"),
                Arguments.of(0x80, "PROTO", "PROTO may only be the first opcode"));
    }

    @ParameterizedTest
    @MethodSource("refusedOpcodes")
    void refusesOpcodesByNameAndOffset(int code, String name, String reason) {
        // A few harmless opcodes first, so the offset is not trivially 2; then the refused opcode with
        // arguments that would be valid for it.
        byte[] pickle = PickleBytes.protocol(4).global("numpy", "ndarray").emptyTuple().mark().op(code)
                .raw(new byte[] {'a', '\n', 'b', '\n', 1, 2, 3, 4}).stop().bytes();
        refused(pickle, name + " at byte 19: ", reason);
    }

    @Test
    void everyOpcodeIsEitherInterpretedOrRefusedWithItsReason() {
        for (PickleOpcode opcode : PickleOpcode.values()) {
            if (opcode == PickleOpcode.PROTO || opcode == PickleOpcode.STOP) {
                continue;
            }
            byte[] pickle = PickleBytes.protocol(4).op(opcode.code()).raw(new byte[16]).bytes();
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> Pickles.read(pickle, "pickle evil.pkl", 1L << 20), opcode.name());
            // An interpreted opcode fails later, on the zeros after it; none falls through the dispatch.
            assertTrue(!e.getMessage().contains("not interpreted here"), e.getMessage());
            if (opcode.refusal() != null) {
                assertTrue(e.getMessage().contains(opcode.name() + " at byte 2: it is not allowed: " + opcode.refusal()),
                        e.getMessage());
            }
        }
    }

    @Test
    void refusesFilesThatAreNotProtocolTwoToFive() {
        refused(PickleBytes.raw().mark().op('l').stop().bytes(), "MARK at byte 0", "does not start with PROTO");
        refused(PickleBytes.protocol(1).emptyDict().stop().bytes(), "protocol 1 is not supported");
        refused(PickleBytes.protocol(6).emptyDict().stop().bytes(), "protocol 6 is not supported");
        refused(new byte[0], "the pickle ends at byte 0 without a STOP opcode", "(it is empty)");
        refused("\u0093NUMPY".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "does not start with PROTO");
    }

    @Test
    void refusesHugeDeclaredLengthsBeforeAllocating() {
        refused(PickleBytes.protocol(4).op(0x8e).u64(1L << 62).stop().bytes(),
                "BINBYTES8 at byte 2", "declares 4611686018427387904 bytes but only 1 remain");
        refused(PickleBytes.protocol(4).op(0x8e).u64(-1L).stop().bytes(),
                "BINBYTES8 at byte 2", "declares 18446744073709551615 bytes");
        refused(PickleBytes.protocol(4).op(0x8d).u64(1L << 62).stop().bytes(), "BINUNICODE8 at byte 2", "declares");
        refused(PickleBytes.protocol(5).op(0x96).u64(1L << 62).stop().bytes(), "BYTEARRAY8 at byte 2", "declares");
        refused(PickleBytes.protocol(4).op(0x95).u64(1L << 40).emptyDict().stop().bytes(),
                "FRAME at byte 2", "declares 1099511627776 bytes but only 2 remain");
        refused(PickleBytes.protocol(3).op('X').u32(0xFFFF_FFFFL).stop().bytes(), "BINUNICODE at byte 2",
                "declares 4294967295 bytes");
        refused(PickleBytes.protocol(3).op('B').u32(0xFFFF_FFFFL).stop().bytes(), "BINBYTES at byte 2", "declares");
        refused(PickleBytes.protocol(2).op('T').u32(-1).stop().bytes(), "BINSTRING at byte 2", "negative length");
        refused(PickleBytes.protocol(2).op(0x8b).u32(Integer.MAX_VALUE).stop().bytes(), "LONG4 at byte 2",
                "an integer of 2147483647 bytes");
        refused(PickleBytes.protocol(2).op(0x8a).u8(9).raw(new byte[9]).stop().bytes(), "LONG1 at byte 2",
                "an integer of 9 bytes");
    }

    @Test
    void refusesDeepNestingOfEveryKind() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            refused(repeat(PickleBytes.protocol(3), 100_000, b -> b.emptyList()).stop().bytes(),
                    "EMPTY_LIST at byte", "the stack holds more than 10000 objects (Pickles.MAX_STACK)");
            refused(repeat(PickleBytes.protocol(3), 100_000, b -> b.mark()).stop().bytes(),
                    "MARK at byte 66", "more than 64 marks are open");
            refused(repeat(PickleBytes.protocol(3).emptyTuple(), 100_000, b -> b.tuple1()).stop().bytes(),
                    "TUPLE1 at byte 34", "nested more than 32 deep (Pickles.MAX_NESTING)");
            // A list inside a list inside a list..., the stack never deeper than 2: BINPUT 0, POP,
            // EMPTY_LIST, BINGET 0, APPEND.
            refused(repeat(PickleBytes.protocol(3).emptyList(), 100_000,
                    b -> b.op('q').u8(0).op('0').emptyList().op('h').u8(0).op('a')).stop().bytes(),
                    "APPEND at byte", "nested more than 32 deep");
            refused(repeat(PickleBytes.protocol(3).emptyDict(), 100_000,
                    b -> b.op('q').u8(0).op('0').emptyDict().unicode("k").op('h').u8(0).setItem()).stop().bytes(),
                    "SETITEM at byte", "nested more than 32 deep");
            // A list that contains itself: legal in Python, harmless here (nothing walks it), but its
            // depth grows with each append.
            refused(repeat(PickleBytes.protocol(3).emptyList(), 100, b -> b.op('2').op('a')).stop().bytes(),
                    "APPEND", "nested more than 32 deep");
        });
    }

    @Test
    void boundsTheMemoAndTheNumberOfOpcodes() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            refused(repeat(PickleBytes.protocol(4).none(), 200_000, b -> b.op(0x94)).stop().bytes(),
                    "MEMOIZE at byte 100003", "the memo holds more than 100000 entries");
            PickleBytes sparse = PickleBytes.protocol(3).none();
            for (int i = 0; i < 200_000; i++) {
                sparse.op('r').u32(0xFFFF_FFFFL - i);
            }
            refused(sparse.stop().bytes(), "LONG_BINPUT", "the memo holds more than 100000 entries");
            refused(repeat(PickleBytes.protocol(3), 600_000, b -> b.none().op('0')).stop().bytes(),
                    "the pickle has more than 1000000 opcodes (Pickles.MAX_OPCODES)");
        });
        refused(PickleBytes.protocol(3).op('h').u8(7).stop().bytes(), "BINGET at byte 2", "the memo has no entry 7");
    }

    @Test
    void refusesStackUnderflowAndUnbalancedMarks() {
        refused(PickleBytes.protocol(3).op('0').stop().bytes(), "POP at byte 2", "the stack is empty");
        refused(PickleBytes.protocol(3).op('a').stop().bytes(), "APPEND at byte 2", "it needs 2 objects");
        refused(PickleBytes.protocol(3).emptyList().mark().int1(1).op('a').stop().bytes(),
                "APPEND at byte 6", "above the mark");
        refused(PickleBytes.protocol(3).int1(1).tuple().stop().bytes(), "TUPLE at byte 4", "needs a MARK");
        refused(PickleBytes.protocol(3).mark().emptyDict().stop().bytes(), "STOP at byte 4",
                "1 objects on the stack and 1 open marks");
        refused(PickleBytes.protocol(3).emptyDict().emptyDict().stop().bytes(), "STOP", "2 objects on the stack");
        refused(PickleBytes.protocol(3).stop().bytes(), "STOP", "0 objects on the stack");
        refused(PickleBytes.protocol(3).emptyDict().mark().unicode("k").setItems().stop().bytes(),
                "SETITEMS", "1 objects above the mark, not key and value pairs");
        refused(PickleBytes.protocol(3).int1(1).op('2').op('e').stop().bytes(), "APPENDS", "needs a MARK");
        refused(PickleBytes.protocol(3).int1(1).mark().op('e').stop().bytes(), "APPENDS", "appends to an int");
        refused(PickleBytes.protocol(4).int1(1).unicode("x").op(0x93).stop().bytes(), "STACK_GLOBAL",
                "are an int and a str, not two str");
    }

    @Test
    void refusesInvalidTextAndOverlongGlobalNames() {
        refused(PickleBytes.protocol(3).op('X').u32(2).raw(new byte[] {(byte) 0xC3, 0x28}).stop().bytes(),
                "BINUNICODE at byte 2", "not valid UTF-8");
        refused(PickleBytes.protocol(3).op('c').raw("x".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .stop().bytes(), "GLOBAL at byte 2", "no newline within 256 bytes");
        refused(PickleBytes.protocol(3).op('c').raw(new byte[] {'o', 's'}).bytes(), "GLOBAL", "truncated");
    }

    @Test
    void refusesTrailingBytesAfterStop() {
        byte[] valid = PickleBytes.smallValid();
        byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
        refused(trailing, "STOP at byte " + (valid.length - 1), "3 bytes follow the STOP opcode");
        byte[] twoPickles = new byte[valid.length * 2];
        System.arraycopy(valid, 0, twoPickles, 0, valid.length);
        System.arraycopy(valid, 0, twoPickles, valid.length, valid.length);
        refused(twoPickles, "bytes follow the STOP opcode");
    }

    @Test
    void everyTruncationOfAValidPickleIsRefused() throws CheckpointFormatException {
        byte[] valid = PickleBytes.protocol(4).op(0x95).u64(0).emptyDict().op(0x94)
                .item("W", new int[] {2, 3}, "f8", "<", false, f8(LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6))
                .unicode("b").stackGlobal(NUMPY2 + ".numeric", "_frombuffer").mark().op(0x96).u64(8)
                .raw(f8(LITTLE_ENDIAN, 7)).dtype("f8", ">").intTuple(1).shortUnicode("C").tuple().reduce()
                .setItem().stop().bytes();
        assertEquals(2, assertDoesNotFail(valid).size());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int length = 0; length < valid.length; length++) {
                int cut = length;
                CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                        () -> Pickles.read(Arrays.copyOf(valid, cut), "pickle cut.pkl", 1L << 20), "prefix " + cut);
                assertTrue(e.getMessage().startsWith("pickle cut.pkl: "), e.getMessage());
            }
        });
    }

    @Test
    void randomMutationsOfAValidPickleFailOnlyWithTheFormatException() {
        byte[] valid = PickleBytes.smallValid();
        Random random = new Random(14);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int trial = 0; trial < 5000; trial++) {
                byte[] mutated = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                }
                try {
                    Pickles.read(mutated, "pickle mutated.pkl", 1L << 20);
                } catch (CheckpointFormatException expected) {
                    // refused: fine
                } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    fail("mutation " + trial + " " + Arrays.toString(mutated) + " threw " + e, e);
                }
            }
        });
    }

    private static java.util.Map<String, NpyArray> assertDoesNotFail(byte[] pickle) throws CheckpointFormatException {
        return Pickles.read(pickle, "pickle valid.pkl", 1L << 20);
    }

    private static PickleBytes repeat(PickleBytes builder, int times, java.util.function.UnaryOperator<PickleBytes> step) {
        for (int i = 0; i < times; i++) {
            step.apply(builder);
        }
        return builder;
    }
}
