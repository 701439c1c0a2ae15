package org.nnjava.tensor;

/** The element type of a tensor. A backend creates tensors of one dtype; operations never mix dtypes. */
public enum DType {
    /** IEEE 754 binary64 ({@code double}). */
    FLOAT64,
    /** IEEE 754 binary32 ({@code float}). */
    FLOAT32;

    /**
     * Parses {@code float64}/{@code float32} (case-insensitive, also {@code double}/{@code float}).
     *
     * @param text the name, any case
     * @return the dtype
     * @throws IllegalArgumentException for another name
     */
    public static DType parse(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "float64": case "double": case "f64": return FLOAT64;
            case "float32": case "float": case "f32": return FLOAT32;
            default:
                throw new IllegalArgumentException("unknown dtype '" + text + "': use float64 or float32");
        }
    }

    /**
     * The lower-case name used on the command line and in messages: {@code float64}, {@code float32}.
     *
     * @return the label
     */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
