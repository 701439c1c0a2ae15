package org.nnjava.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The element types of the IDX format, as LeCun's MNIST page defines them: the third byte of an IDX
 * file's magic number. Every multi-byte value in an IDX file is big-endian.
 */
public enum IdxType {
    /** {@code 0x08}: unsigned byte, 0..255 (MNIST's images and labels). */
    UNSIGNED_BYTE(0x08, 1),
    /** {@code 0x09}: signed byte, -128..127. */
    SIGNED_BYTE(0x09, 1),
    /** {@code 0x0B}: 16-bit signed integer. */
    SHORT(0x0B, 2),
    /** {@code 0x0C}: 32-bit signed integer. */
    INT(0x0C, 4),
    /** {@code 0x0D}: IEEE 754 binary32. */
    FLOAT(0x0D, 4),
    /** {@code 0x0E}: IEEE 754 binary64. */
    DOUBLE(0x0E, 8);

    private final int code;
    private final int bytes;

    IdxType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /**
     * The type code as it appears in the magic number.
     *
     * @return the third byte of the magic number
     */
    public int code() {
        return code;
    }

    /**
     * The size of one element in bytes.
     *
     * @return 1, 2, 4 or 8
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Whether the elements are integers (and can therefore be class labels).
     *
     * @return whether the type is an integer type
     */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    /**
     * The type with the given code, or empty if the code is not one of the six IDX types.
     *
     * @param code the third byte of a magic number
     * @return the type, or empty
     */
    public static Optional<IdxType> ofCode(int code) {
        return Arrays.stream(values()).filter(t -> t.code == code).findFirst();
    }

    /** {@code 0x08 unsigned byte, 0x09 signed byte, ...}: the valid codes, for error messages. */
    static String validCodes() {
        return Arrays.stream(values()).map(IdxType::toString).collect(Collectors.joining(", "));
    }

    /** {@code 0x08 unsigned byte}: the code and the type's name in words. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "0x%02X %s", code, name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
}
