package org.nnjava.backend.nd4j;

import org.nnjava.spi.BinaryOp;
import org.nnjava.spi.ScalarOp;

/** The scalar operation a binary one becomes when its right operand is one number per row or in all. */
final class ScalarForm {

    private ScalarForm() {
    }

    static ScalarOp of(BinaryOp op) {
        return switch (op) {
            case ADD -> ScalarOp.ADD;
            case SUB -> ScalarOp.SUB;
            case MUL -> ScalarOp.MUL;
            case DIV -> ScalarOp.DIV;
        };
    }
}
