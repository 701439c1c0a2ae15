package org.nnjava.io;

/**
 * Every opcode of pickle protocols 0 to 5 (as CPython's {@code pickletools.opcodes} lists them), each
 * with the reason this reader refuses it, or none if it is interpreted. The interpreted ones are those
 * protocols 2 to 5 write for dicts of NumPy arrays; the refused ones create instances, look objects up
 * outside the file, or are protocol 0's text forms, which no protocol 2 to 5 pickler writes.
 */
enum PickleOpcode {
    MARK('('), STOP('.'), POP('0'), POP_MARK('1'), DUP('2'),
    FLOAT('F', Refusal.TEXT), INT('I', Refusal.TEXT), BININT('J'), BININT1('K'), LONG('L', Refusal.TEXT),
    BININT2('M'), NONE('N'), PERSID('P', Refusal.PERSISTENT), BINPERSID('Q', Refusal.PERSISTENT),
    REDUCE('R'), STRING('S', Refusal.TEXT), BINSTRING('T'), SHORT_BINSTRING('U'),
    UNICODE('V', Refusal.TEXT), BINUNICODE('X'), APPEND('a'), BUILD('b'), GLOBAL('c'), DICT('d'),
    EMPTY_DICT('}'), APPENDS('e'), GET('g', Refusal.TEXT), BINGET('h'), INST('i', Refusal.INSTANCE),
    LONG_BINGET('j'), LIST('l'), EMPTY_LIST(']'), OBJ('o', Refusal.INSTANCE), PUT('p', Refusal.TEXT),
    BINPUT('q'), LONG_BINPUT('r'), SETITEM('s'), TUPLE('t'), EMPTY_TUPLE(')'), SETITEMS('u'),
    BINFLOAT('G'),
    PROTO(0x80), NEWOBJ(0x81, Refusal.INSTANCE), EXT1(0x82, Refusal.EXTENSION),
    EXT2(0x83, Refusal.EXTENSION), EXT4(0x84, Refusal.EXTENSION), TUPLE1(0x85), TUPLE2(0x86),
    TUPLE3(0x87), NEWTRUE(0x88), NEWFALSE(0x89), LONG1(0x8a), LONG4(0x8b),
    BINBYTES('B'), SHORT_BINBYTES('C'),
    SHORT_BINUNICODE(0x8c), BINUNICODE8(0x8d), BINBYTES8(0x8e), EMPTY_SET(0x8f, Refusal.SET),
    ADDITEMS(0x90, Refusal.SET), FROZENSET(0x91, Refusal.SET), NEWOBJ_EX(0x92, Refusal.INSTANCE),
    STACK_GLOBAL(0x93), MEMOIZE(0x94), FRAME(0x95),
    BYTEARRAY8(0x96), NEXT_BUFFER(0x97, Refusal.OUT_OF_BAND), READONLY_BUFFER(0x98, Refusal.OUT_OF_BAND);

    /** Why an opcode is refused, said once per kind. */
    private static final class Refusal {
        static final String TEXT = "it is a protocol 0 text opcode, which no protocol 2 to 5 pickler writes;"
                + " only protocols 2 to 5 are read: re-save the file with pickle.dump(obj, f, protocol=4)";
        static final String PERSISTENT = "a persistent id is resolved by the application's persistent_load,"
                + " so it could stand for anything; a file of NumPy arrays has none: this file may be unsafe";
        static final String INSTANCE = "it creates an instance of a class, which can run that class's code;"
                + " NumPy arrays are rebuilt with REDUCE and BUILD only: this file may be unsafe";
        static final String EXTENSION = "an extension code names an object through the copyreg registry,"
                + " so it could stand for anything; a file of NumPy arrays has none: this file may be unsafe";
        static final String SET = "sets are not part of a pickle of NumPy arrays";
        static final String OUT_OF_BAND = "out-of-band buffers (protocol 5's buffer_callback) are not"
                + " supported: pickle without buffer_callback so that the data is in the file";
    }

    private static final PickleOpcode[] BY_CODE = new PickleOpcode[256];

    static {
        for (PickleOpcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;
    private final String refusal;

    PickleOpcode(int code) {
        this(code, null);
    }

    PickleOpcode(int code, String refusal) {
        this.code = code;
        this.refusal = refusal;
    }

    /** The opcode of a byte, or null if no protocol defines one. */
    static PickleOpcode of(int code) {
        return BY_CODE[code & 0xFF];
    }

    /** The byte value. */
    int code() {
        return code;
    }

    /** Why this reader refuses the opcode, or null if it interprets it. */
    String refusal() {
        return refusal;
    }
}
