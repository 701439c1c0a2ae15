package org.nnjava.spi;

/** Elementwise operations between two tensors, {@code a op b}. */
public enum BinaryOp {
    /** {@code a + b} */
    ADD("+"),
    /** {@code a - b} */
    SUB("-"),
    /** {@code a * b} */
    MUL("*"),
    /** {@code a / b} */
    DIV("/");

    private final String symbol;

    BinaryOp(String symbol) {
        this.symbol = symbol;
    }

    /**
     * The operator as written in messages.
     *
     * @return {@code +}, {@code -}, {@code *} or {@code /}
     */
    public String symbol() {
        return symbol;
    }

    /**
     * The scalar operation this one becomes when its right operand is a single number ({@code x op s}).
     *
     * @return the {@link ScalarOp} of the same arithmetic
     */
    public ScalarOp scalarForm() {
        return switch (this) {
            case ADD -> ScalarOp.ADD;
            case SUB -> ScalarOp.SUB;
            case MUL -> ScalarOp.MUL;
            case DIV -> ScalarOp.DIV;
        };
    }

    /**
     * The method name as written in messages.
     *
     * @return {@code add}, {@code sub}, {@code mul} or {@code div}
     */
    public String method() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
