package org.nnjava.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the bytes of one pickle, all of them already in memory. Every read checks what
 * remains first, so a length the file declares is compared with the bytes actually present before
 * anything is allocated for it. It also keeps the opcode being interpreted and its offset, which every
 * message names: {@code pickle f.pkl: BINBYTES8 at byte 40: ...}.
 */
final class PickleInput {

    /** The most characters of a name or string from the file shown in a message. */
    private static final int SHOWN_CHARS = 80;

    private final byte[] data;
    private final String where;
    private int position;
    private String opcodeName = "the start";
    private int opcodeOffset;

    PickleInput(byte[] data, String where) {
        this.data = data;
        this.where = where;
    }

    /** The file's bytes, shared: bytes objects are views into them. */
    byte[] data() {
        return data;
    }

    int position() {
        return position;
    }

    int remaining() {
        return data.length - position;
    }

    /**
     * Reads the next opcode byte, which becomes the subject of later messages.
     *
     * @throws CheckpointFormatException if the file ends here: a pickle ends with STOP
     */
    int nextOpcode() throws CheckpointFormatException {
        if (position >= data.length) {
            throw new CheckpointFormatException(where + ": the pickle ends at byte " + position + " without a STOP"
                    + " opcode: the file is truncated" + (data.length == 0 ? " (it is empty)" : ""));
        }
        opcodeOffset = position;
        int code = data[position++] & 0xFF;
        PickleOpcode opcode = PickleOpcode.of(code);
        opcodeName = opcode != null ? opcode.name() : String.format("opcode 0x%02x", code);
        return code;
    }

    /** {@code pickle f.pkl: REDUCE at byte 120}: the file, the opcode being interpreted and its offset. */
    String context() {
        return where + ": " + opcodeName + " at byte " + opcodeOffset;
    }

    /** An exception whose message is the context, then {@code what}. */
    CheckpointFormatException fail(String what) {
        return new CheckpointFormatException(context() + ": " + what);
    }

    int u8() throws CheckpointFormatException {
        need(1);
        return data[position++] & 0xFF;
    }

    int u16() throws CheckpointFormatException {
        need(2);
        int value = (data[position] & 0xFF) | (data[position + 1] & 0xFF) << 8;
        position += 2;
        return value;
    }

    /** A 4-byte little-endian signed integer. */
    int s32() throws CheckpointFormatException {
        need(4);
        int value = ByteBuffer.wrap(data, position, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        position += 4;
        return value;
    }

    /** A 4-byte little-endian unsigned integer. */
    long u32() throws CheckpointFormatException {
        return s32() & 0xFFFF_FFFFL;
    }

    /** An 8-byte little-endian integer, unsigned in the file (negative here when its top bit is set). */
    long u64() throws CheckpointFormatException {
        need(8);
        long value = ByteBuffer.wrap(data, position, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        position += 8;
        return value;
    }

    /** An 8-byte big-endian IEEE double, as BINFLOAT stores it. */
    double binaryDouble() throws CheckpointFormatException {
        need(8);
        double value = ByteBuffer.wrap(data, position, 8).getDouble();
        position += 8;
        return value;
    }

    /**
     * Checks a declared length against the bytes that remain and skips over them.
     *
     * @param declared the length from the file, unsigned (negative means above 2^63)
     * @return the offset of the first of those bytes
     * @throws CheckpointFormatException if fewer bytes remain than declared
     */
    int take(long declared) throws CheckpointFormatException {
        if (declared < 0 || declared > remaining()) {
            throw fail("it declares " + Long.toUnsignedString(declared) + " bytes but only " + remaining()
                    + " remain: the file is truncated or the length is forged");
        }
        int start = position;
        position += (int) declared;
        return start;
    }

    /** Checks a declared length, as {@link #take}, without moving: for FRAME, whose bytes are the opcodes that follow. */
    void requireAhead(long declared) throws CheckpointFormatException {
        take(declared);
        position -= (int) declared;
    }

    /**
     * A newline-terminated line of at most {@code max} bytes, without the newline, as UTF-8.
     *
     * @throws CheckpointFormatException if no newline comes within {@code max} bytes or the file ends first
     */
    String line(int max) throws CheckpointFormatException {
        int end = position;
        int limit = Math.min(data.length, position + max + 1);
        while (end < limit && data[end] != '\n') {
            end++;
        }
        if (end == limit) {
            throw fail(limit == data.length ? "the file ends inside its text argument: the file is truncated"
                    : "its text argument has no newline within " + max + " bytes; module and class names are short");
        }
        String text = utf8(position, end - position);
        position = end + 1;
        return text;
    }

    /** Decodes {@code length} bytes at {@code offset} as strict UTF-8, as Python's unpickler does. */
    String utf8(int offset, int length) throws CheckpointFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail("its " + length + " bytes of text are not valid UTF-8");
        }
    }

    /**
     * Text from the file made safe for a message: quoted, control and non-ASCII characters escaped
     * (a hostile name cannot move the cursor of a terminal), and cut after {@value #SHOWN_CHARS} characters.
     */
    static String show(String text) {
        StringBuilder shown = new StringBuilder("'");
        int count = Math.min(text.length(), SHOWN_CHARS);
        for (int i = 0; i < count; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
                shown.append(c);
            } else if (c < 0x100) {
                shown.append(String.format("\\x%02x", (int) c));
            } else {
                shown.append(String.format("\\u%04x", (int) c));
            }
        }
        shown.append('\'');
        if (text.length() > count) {
            shown.append("... (").append(text.length()).append(" characters)");
        }
        return shown.toString();
    }

    /** {@code show} for a dotted name: {@code os.system}, unquoted when it is plain. */
    static String showName(String module, String name) {
        String dotted = module + "." + name;
        return dotted.matches("[A-Za-z0-9_.]{1," + SHOWN_CHARS + "}") ? dotted : show(dotted);
    }

    private void need(int count) throws CheckpointFormatException {
        if (remaining() < count) {
            throw fail("the file ends inside its " + count + "-byte argument: the file is truncated");
        }
    }
}
