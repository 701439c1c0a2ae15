package org.nnjava.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nnjava.io.PickleValues.PyBytes;
import org.nnjava.io.PickleValues.PyDict;
import org.nnjava.io.PickleValues.PyList;
import org.nnjava.io.PickleValues.PyNone;
import org.nnjava.io.PickleValues.PyTuple;

/**
 * The pickle virtual machine, restricted: it interprets the opcodes of protocols 2 to 5 itself, over
 * the bytes of one file already in memory, and never looks anything up or runs anything. Globals are
 * matched against {@link PickleGlobal}'s list as they are read; calls and state settings go through
 * {@link NumpyPickle}, which accepts only NumPy's array-rebuilding patterns.
 *
 * <p>Bounded: at most {@link Pickles#MAX_OPCODES} opcodes, {@link Pickles#MAX_STACK} objects on the
 * stack, {@link Pickles#MAX_MARKS} open marks, {@link Pickles#MAX_MEMO} memo entries and containers
 * nested {@link Pickles#MAX_NESTING} deep; every length checked against the bytes that remain; text and
 * arrays claimed from the byte budget before they are allocated. The stack machine never recurses.
 */
final class PickleMachine {

    /** The most bytes of a GLOBAL opcode's module or name line. */
    private static final int MAX_NAME_BYTES = 256;

    /** Java strings hold at most 2 bytes per character, and UTF-8 needs at least 1 byte per character. */
    private static final int STRING_BYTES_PER_UTF8_BYTE = 2;

    private final PickleInput in;
    private final ByteBudget budget;
    private final List<Object> stack = new ArrayList<>();
    private final int[] marks = new int[Pickles.MAX_MARKS];
    private int markCount;
    private final Map<Long, Object> memo = new HashMap<>();
    private int opcodes;

    private PickleMachine(PickleInput in, ByteBudget budget) {
        this.in = in;
        this.budget = budget;
    }

    /**
     * Runs the pickle in {@code data} to its STOP opcode.
     *
     * @return the object it built
     * @throws CheckpointFormatException if the pickle is malformed, truncated, followed by more bytes,
     *     exceeds a bound, or does anything but rebuild NumPy arrays and dicts of them
     */
    static Object run(byte[] data, String where, ByteBudget budget) throws CheckpointFormatException {
        return new PickleMachine(new PickleInput(data, where), budget).run();
    }

    private Object run() throws CheckpointFormatException {
        protocol();
        while (true) {
            PickleOpcode opcode = next();
            if (opcode == PickleOpcode.STOP) {
                return stop();
            }
            if (!pushesValue(opcode) && !changesStack(opcode) && !buildsContainer(opcode) && !calls(opcode)) {
                throw in.fail("it is not interpreted here"); // every interpreted opcode is in one group
            }
        }
    }

    /** The first opcode must be PROTO 2 to 5: protocols 0 and 1 have no PROTO and are not read. */
    private void protocol() throws CheckpointFormatException {
        int code = in.nextOpcode();
        if (code != PickleOpcode.PROTO.code()) {
            throw in.fail("the pickle does not start with PROTO: it is protocol 0 or 1 (or not a pickle),"
                    + " and only protocols 2 to 5 are read: re-save it with pickle.dump(obj, f, protocol=4)");
        }
        int protocol = in.u8();
        if (protocol < 2 || protocol > 5) {
            throw in.fail("protocol " + protocol + " is not supported; protocols 2 to 5 are read");
        }
    }

    /** The next opcode, counted and checked against the refused ones. */
    private PickleOpcode next() throws CheckpointFormatException {
        int code = in.nextOpcode();
        PickleOpcode opcode = PickleOpcode.of(code);
        if (opcode == null) {
            throw in.fail("it is not a pickle opcode of any protocol: the file is corrupt or not a pickle");
        }
        if (opcode.refusal() != null) {
            throw in.fail("it is not allowed: " + opcode.refusal());
        }
        if (++opcodes > Pickles.MAX_OPCODES) {
            throw in.fail("the pickle has more than " + Pickles.MAX_OPCODES + " opcodes (Pickles.MAX_OPCODES);"
                    + " a dict of arrays needs a few dozen per array, so the file is corrupt or hostile");
        }
        if (opcode == PickleOpcode.PROTO) {
            throw in.fail("PROTO may only be the first opcode");
        }
        return opcode;
    }

    /** STOP: exactly one object left, no open mark, and nothing after it in the file. */
    private Object stop() throws CheckpointFormatException {
        if (markCount > 0 || stack.size() != 1) {
            throw in.fail("the pickle stops with " + stack.size() + " objects on the stack and " + markCount
                    + " open marks; a complete pickle leaves exactly one object and no mark");
        }
        if (in.remaining() > 0) {
            throw in.fail(in.remaining() + " bytes follow the STOP opcode; a pickle file holds one pickle and"
                    + " nothing after it, so the file is corrupt");
        }
        return stack.get(0);
    }

    /** The opcodes that push one value read from their argument. */
    private boolean pushesValue(PickleOpcode opcode) throws CheckpointFormatException {
        switch (opcode) {
            case NONE -> push(PyNone.NONE);
            case NEWTRUE -> push(Boolean.TRUE);
            case NEWFALSE -> push(Boolean.FALSE);
            case BININT -> push((long) in.s32());
            case BININT1 -> push((long) in.u8());
            case BININT2 -> push((long) in.u16());
            case LONG1 -> push(longValue(in.u8()));
            case LONG4 -> push(longValue(in.s32()));
            case BINFLOAT -> push(in.binaryDouble());
            case SHORT_BINUNICODE -> push(text(in.u8()));
            case BINUNICODE -> push(text(in.u32()));
            case BINUNICODE8 -> push(text(in.u64()));
            case SHORT_BINSTRING -> push(latin1Text(in.u8()));
            case BINSTRING -> push(latin1Text(in.s32()));
            case SHORT_BINBYTES -> push(bytes(in.u8()));
            case BINBYTES -> push(bytes(in.u32()));
            case BINBYTES8, BYTEARRAY8 -> push(bytes(in.u64()));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The opcodes that manage the stack, the marks, the memo and frames. */
    private boolean changesStack(PickleOpcode opcode) throws CheckpointFormatException {
        switch (opcode) {
            case MARK -> mark();
            case POP -> pop();
            case POP_MARK -> popMark();
            case DUP -> push(peek());
            case BINGET -> push(get(in.u8()));
            case LONG_BINGET -> push(get(in.u32()));
            case BINPUT -> put(in.u8());
            case LONG_BINPUT -> put(in.u32());
            case MEMOIZE -> put(memo.size());
            case FRAME -> in.requireAhead(in.u64()); // framing only groups the opcodes that follow
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The opcodes that make tuples, lists and dicts. */
    private boolean buildsContainer(PickleOpcode opcode) throws CheckpointFormatException {
        switch (opcode) {
            case EMPTY_TUPLE -> push(tuple(List.of()));
            case TUPLE -> push(tuple(popMark()));
            case TUPLE1, TUPLE2, TUPLE3 -> push(tuple(popItems(opcode.code() - PickleOpcode.TUPLE1.code() + 1)));
            case EMPTY_LIST -> push(new PyList());
            case LIST -> push(addAll(new PyList(), popMark()));
            case APPEND -> addAll(list(1), List.of(popValue()));
            case APPENDS -> {
                List<Object> items = popMark(); // the list is below the mark
                addAll(list(0), items);
            }
            case EMPTY_DICT -> push(new PyDict(false));
            case DICT -> push(putAll(new PyDict(false), popMark()));
            case SETITEM -> putAll(dict(2), popItems(2));
            case SETITEMS -> {
                List<Object> items = popMark(); // the dict is below the mark
                putAll(dict(0), items);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The opcodes that name globals, call them and set state: only NumPy's patterns get through. */
    private boolean calls(PickleOpcode opcode) throws CheckpointFormatException {
        switch (opcode) {
            case GLOBAL -> push(global(in.line(MAX_NAME_BYTES), in.line(MAX_NAME_BYTES)));
            case STACK_GLOBAL -> {
                List<Object> names = popItems(2);
                if (!(names.get(0) instanceof String) || !(names.get(1) instanceof String)) {
                    throw in.fail("its module and name are " + PickleValues.withArticle(names.get(0)) + " and "
                            + PickleValues.withArticle(names.get(1)) + ", not two str");
                }
                push(global((String) names.get(0), (String) names.get(1)));
            }
            case REDUCE -> {
                List<Object> callAndArgs = popItems(2);
                push(checkDepth(NumpyPickle.call(callAndArgs.get(0), callAndArgs.get(1), in, budget)));
            }
            case BUILD -> {
                Object state = popValue();
                NumpyPickle.build(peek(), state, in, budget);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private PickleGlobal global(String module, String name) throws CheckpointFormatException {
        PickleGlobal global = PickleGlobal.find(module, name);
        if (global == null) {
            throw in.fail("global " + PickleInput.showName(module, name) + " is not allowed: only NumPy arrays and"
                    + " dicts of them can be read; this file may be unsafe");
        }
        return global;
    }

    /** LONG1 and LONG4: a little-endian two's complement integer of at most 8 bytes. */
    private Long longValue(int length) throws CheckpointFormatException {
        if (length < 0 || length > Long.BYTES) {
            throw in.fail("an integer of " + length + " bytes; the integers of a NumPy pickle (versions,"
                    + " dimensions) fit in 8");
        }
        int start = in.take(length);
        byte[] data = in.data();
        long value = length > 0 && data[start + length - 1] < 0 ? -1L : 0L;
        for (int i = length - 1; i >= 0; i--) {
            value = (value << 8) | (data[start + i] & 0xFF);
        }
        return value;
    }

    private String text(long length) throws CheckpointFormatException {
        int start = in.take(length);
        budget.claim((long) STRING_BYTES_PER_UTF8_BYTE * length, in.context(), "a str of " + length + " bytes");
        return in.utf8(start, (int) length);
    }

    /** Python 2's str, read as latin-1 (NumPy's advice: pickle.load(f, encoding='latin1')). */
    private String latin1Text(long length) throws CheckpointFormatException {
        if (length < 0) {
            throw in.fail("it declares a negative length, " + length + ": the file is corrupt");
        }
        int start = in.take(length);
        budget.claim(length, in.context(), "a str of " + length + " bytes");
        return new String(in.data(), start, (int) length, StandardCharsets.ISO_8859_1);
    }

    private PyBytes bytes(long length) throws CheckpointFormatException {
        int start = in.take(length);
        return new PyBytes(in.data(), start, (int) length);
    }

    private void push(Object value) throws CheckpointFormatException {
        if (stack.size() >= Pickles.MAX_STACK) {
            throw in.fail("the stack holds more than " + Pickles.MAX_STACK + " objects (Pickles.MAX_STACK);"
                    + " a pickle of arrays needs a few dozen, so the file is corrupt or hostile");
        }
        stack.add(value);
    }

    private void mark() throws CheckpointFormatException {
        if (markCount >= Pickles.MAX_MARKS) {
            throw in.fail("more than " + Pickles.MAX_MARKS + " marks are open (Pickles.MAX_MARKS); a pickle of"
                    + " arrays nests a few, so the file is corrupt or hostile");
        }
        marks[markCount++] = stack.size();
    }

    /** The stack's bottom for the current mark: nothing below it can be popped until the mark is. */
    private int floor() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    /** POP: the top object, or, with none above the current mark, the mark (as CPython does). */
    private void pop() throws CheckpointFormatException {
        if (stack.size() > floor()) {
            stack.remove(stack.size() - 1);
        } else if (markCount > 0) {
            markCount--;
        } else {
            throw in.fail("the stack is empty: the file is corrupt");
        }
    }

    private Object peek() throws CheckpointFormatException {
        if (stack.size() <= floor()) {
            throw in.fail("it needs an object on the stack" + (markCount > 0 ? " above the mark" : "")
                    + ", and there is none: the file is corrupt");
        }
        return stack.get(stack.size() - 1);
    }

    private Object popValue() throws CheckpointFormatException {
        return popItems(1).get(0);
    }

    /** The top {@code count} objects, bottom first, removed. */
    private List<Object> popItems(int count) throws CheckpointFormatException {
        if (stack.size() - floor() < count) {
            throw in.fail("it needs " + count + " objects on the stack" + (markCount > 0 ? " above the mark" : "")
                    + ", and there are " + (stack.size() - floor()) + ": the file is corrupt");
        }
        List<Object> top = stack.subList(stack.size() - count, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    /** The objects above the current mark, bottom first, removed with the mark. */
    private List<Object> popMark() throws CheckpointFormatException {
        if (markCount == 0) {
            throw in.fail("it needs a MARK before it, and none is open: the file is corrupt");
        }
        List<Object> items = popItems(stack.size() - floor());
        markCount--;
        return items;
    }

    private Object get(long index) throws CheckpointFormatException {
        Object value = memo.get(index);
        if (value == null) {
            throw in.fail("the memo has no entry " + index + ": the file is corrupt");
        }
        return value;
    }

    private void put(long index) throws CheckpointFormatException {
        Object value = peek();
        if (!memo.containsKey(index) && memo.size() >= Pickles.MAX_MEMO) {
            throw in.fail("the memo holds more than " + Pickles.MAX_MEMO + " entries (Pickles.MAX_MEMO); a pickle"
                    + " of arrays needs a few per array, so the file is corrupt or hostile");
        }
        memo.put(index, value);
    }

    private PyTuple tuple(List<Object> items) throws CheckpointFormatException {
        return checkDepth(new PyTuple(items));
    }

    /** The list under the top {@code above} objects: for APPEND 1, for APPENDS 0 (its mark already popped). */
    private PyList list(int above) throws CheckpointFormatException {
        Object target = below(above);
        if (!(target instanceof PyList)) {
            throw in.fail("it appends to " + PickleValues.withArticle(target) + "; only a list can be appended to");
        }
        return (PyList) target;
    }

    private PyDict dict(int above) throws CheckpointFormatException {
        Object target = below(above);
        if (!(target instanceof PyDict)) {
            throw in.fail("it sets items of " + PickleValues.withArticle(target) + "; only a dict's items can be set");
        }
        return (PyDict) target;
    }

    private Object below(int above) throws CheckpointFormatException {
        if (stack.size() - floor() <= above) {
            throw in.fail("it needs " + (above + 1) + " objects on the stack" + (markCount > 0 ? " above the mark"
                    : "") + ", and there are " + (stack.size() - floor()) + ": the file is corrupt");
        }
        return stack.get(stack.size() - 1 - above);
    }

    private PyList addAll(PyList list, List<Object> items) throws CheckpointFormatException {
        for (Object item : items) {
            list.add(item);
        }
        return checkDepth(list);
    }

    /** Keys and values alternating; keys must be str (a dict of arrays has nothing else). */
    private PyDict putAll(PyDict dict, List<Object> items) throws CheckpointFormatException {
        if (items.size() % 2 != 0) {
            throw in.fail("it has " + items.size() + " objects above the mark, not key and value pairs: the file is corrupt");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            if (!(key instanceof String)) {
                throw in.fail("a dict key is " + PickleValues.withArticle(key) + "; only str keys, the names of"
                        + " arrays, are read");
            }
            dict.put((String) key, items.get(i + 1));
        }
        return checkDepth(dict);
    }

    private <T> T checkDepth(T value) throws CheckpointFormatException {
        if (PickleValues.depth(value) > Pickles.MAX_NESTING) {
            throw in.fail("tuples, lists and dicts are nested more than " + Pickles.MAX_NESTING + " deep"
                    + " (Pickles.MAX_NESTING); a pickle of arrays nests three or four, so the file is corrupt or hostile");
        }
        return value;
    }
}
