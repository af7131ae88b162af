package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.semiseg.method.Method;

import java.util.HashMap;
import java.util.Map;

/**
 * A copy of a method's own state ({@link Method#state()}: banks, queues, counters) taken before a step, so that a
 * step computed again after a fault starts from exactly what the first attempt saw.
 */
final class MethodState implements AutoCloseable {
    private final Method method;
    private final NDManager copies;
    private final Map<String, NDArray> saved = new HashMap<>();

    MethodState(Method method, NDManager base) {
        this.method = method;
        this.copies = base.newSubManager();
        for (NDArray a : method.state()) {
            NDArray copy = a.duplicate();
            copy.attach(copies);
            saved.put(a.getName(), copy);
        }
    }

    /** Puts the method's state back as it was when this copy was taken. */
    void restore() {
        if (!saved.isEmpty()) {
            method.loadState(saved);
        }
    }

    @Override
    public void close() {
        copies.close();
    }
}
