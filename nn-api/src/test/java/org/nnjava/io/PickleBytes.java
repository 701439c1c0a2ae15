package org.nnjava.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Assembles pickle opcodes by hand, for the files python3 would never write (hostile ones) and for
 * valid files that need no python3: {@code PickleBytes.protocol(3).emptyDict()...stop().bytes()}.
 * Each method appends one opcode (or a documented group of them) and returns this builder.
 */
final class PickleBytes {

    static final String NUMPY1 = "numpy.core";
    static final String NUMPY2 = "numpy._core";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** {@code PROTO protocol}. */
    static PickleBytes protocol(int protocol) {
        return new PickleBytes().op(0x80).u8(protocol);
    }

    /** No PROTO: for files that must be refused for lacking it. */
    static PickleBytes raw() {
        return new PickleBytes();
    }

    PickleBytes op(int code) {
        out.write(code);
        return this;
    }

    PickleBytes u8(int value) {
        out.write(value);
        return this;
    }

    PickleBytes u16(int value) {
        return raw(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
    }

    PickleBytes u32(long value) {
        return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
    }

    PickleBytes u64(long value) {
        return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    PickleBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** {@code GLOBAL 'module name'} (protocols 0 to 3). */
    PickleBytes global(String module, String name) {
        return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** {@code SHORT_BINUNICODE module, SHORT_BINUNICODE name, STACK_GLOBAL} (protocol 4). */
    PickleBytes stackGlobal(String module, String name) {
        return shortUnicode(module).shortUnicode(name).op(0x93);
    }

    PickleBytes shortUnicode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return op(0x8c).u8(bytes.length).raw(bytes);
    }

    /** {@code BINUNICODE}. */
    PickleBytes unicode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return op('X').u32(bytes.length).raw(bytes);
    }

    /** {@code SHORT_BINSTRING}: Python 2's str. */
    PickleBytes shortString(byte[] bytes) {
        return op('U').u8(bytes.length).raw(bytes);
    }

    /** {@code SHORT_BINBYTES} up to 255 bytes, else {@code BINBYTES}. */
    PickleBytes bytes(byte[] bytes) {
        return bytes.length < 256 ? op('C').u8(bytes.length).raw(bytes) : op('B').u32(bytes.length).raw(bytes);
    }

    PickleBytes int1(int value) {
        return op('K').u8(value);
    }

    /** {@code BININT}: a signed 4-byte int. */
    PickleBytes int4(int value) {
        return op('J').u32(value);
    }

    PickleBytes mark() {
        return op('(');
    }

    PickleBytes tuple() {
        return op('t');
    }

    PickleBytes emptyTuple() {
        return op(')');
    }

    PickleBytes tuple1() {
        return op(0x85);
    }

    PickleBytes tuple2() {
        return op(0x86);
    }

    PickleBytes tuple3() {
        return op(0x87);
    }

    PickleBytes none() {
        return op('N');
    }

    PickleBytes bool(boolean value) {
        return op(value ? 0x88 : 0x89);
    }

    PickleBytes emptyDict() {
        return op('}');
    }

    PickleBytes emptyList() {
        return op(']');
    }

    PickleBytes setItem() {
        return op('s');
    }

    PickleBytes setItems() {
        return op('u');
    }

    PickleBytes reduce() {
        return op('R');
    }

    PickleBytes build() {
        return op('b');
    }

    PickleBytes stop() {
        return op('.');
    }

    /** A tuple of small ints: {@code MARK BININT1... TUPLE}. */
    PickleBytes intTuple(int... values) {
        mark();
        for (int value : values) {
            int4(value);
        }
        return tuple();
    }

    /**
     * {@code dtype(name, False, True)} then BUILD {@code (3, order, None, None, None, -1, -1, 0)}, as
     * NumPy writes a dtype: leaves the dtype on the stack.
     */
    PickleBytes dtype(String name, String order) {
        global("numpy", "dtype").unicode(name).bool(false).bool(true).tuple3().reduce();
        return mark().int1(3).unicode(order).none().none().none().int4(-1).int4(-1).int1(0).tuple().build();
    }

    /**
     * An array as protocols 2 and 3 write it, in {@code numpy} ({@link #NUMPY1} or {@link #NUMPY2}):
     * {@code _reconstruct(ndarray, (0,), b'b')} then BUILD {@code (1, shape, dtype, fortran, data)}.
     */
    PickleBytes array(String numpy, int[] shape, String dtype, String order, boolean fortran, byte[] data) {
        global(numpy + ".multiarray", "_reconstruct").global("numpy", "ndarray").int1(0).tuple1()
                .bytes(new byte[] {'b'}).tuple3().reduce();
        return mark().int1(1).intTuple(shape).dtype(dtype, order).bool(fortran).bytes(data).tuple().build();
    }

    /** {@code key: array} into the dict below: {@code BINUNICODE key, <array>, SETITEM}. */
    PickleBytes item(String key, int[] shape, String dtype, String order, boolean fortran, byte[] data) {
        return unicode(key).array(NUMPY2, shape, dtype, order, fortran, data).setItem();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The values as float64 in a byte order. */
    static byte[] f8(ByteOrder order, double... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(order);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.array();
    }

    /** The values as float32 in a byte order. */
    static byte[] f4(ByteOrder order, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(order);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    /** {@code {'W': float64 [2, 3] of 1..6}}, protocol 3, NumPy 2's names: a small valid pickle. */
    static byte[] smallValid() {
        return protocol(3).emptyDict()
                .item("W", new int[] {2, 3}, "f8", "<", false, f8(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6))
                .stop().bytes();
    }
}
