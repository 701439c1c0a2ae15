package org.nnjava.spi;

/** Elementwise operations between two tensors, {@code a op b}. */
public enum BinaryOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/");

    private final String symbol;

    BinaryOp(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in messages. */
    public String symbol() {
        return symbol;
    }

    /** The scalar operation this one becomes when its right operand is a single number ({@code x op s}). */
    public ScalarOp scalarForm() {
        return switch (this) {
            case ADD -> ScalarOp.ADD;
            case SUB -> ScalarOp.SUB;
            case MUL -> ScalarOp.MUL;
            case DIV -> ScalarOp.DIV;
        };
    }

    /** The method name as written in messages. */
    public String method() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
