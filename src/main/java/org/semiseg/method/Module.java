package org.semiseg.method;

import ai.djl.nn.Block;

/**
 * A network part a method owns, declared once with {@link MethodSetup#trained} or {@link MethodSetup#emaCopy}. Its
 * arrays are saved in checkpoints as {@code <name>.<parameter>}.
 *
 * @param name         stable name (distinct from the student's top-level names)
 * @param block        the initialised block
 * @param lrMultiplier learning rate relative to the base rate (trained modules; 0 for copies)
 * @param ema          for an EMA copy, the teacher that follows its source; null for a trained module
 * @param decay        for an EMA copy, its τ schedule; null for a trained module
 */
public record Module(String name, Block block, double lrMultiplier, EmaTeacher ema, MethodSetup.Decay decay) {
    public boolean trained() {
        return ema == null;
    }

    /** The block's parameters named as checkpoints keep them: {@code <module>.<parameter>}. */
    public java.util.Map<String, ai.djl.nn.Parameter> parameters() {
        java.util.Map<String, ai.djl.nn.Parameter> out = new java.util.LinkedHashMap<>();
        org.semiseg.model.ParameterNames.of(block).forEach((p, parameter) -> out.put(name + "." + p, parameter));
        return out;
    }
}
