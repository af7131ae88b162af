package org.semiseg.method.cct;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.semiseg.loss.GraphSafe;
import org.semiseg.method.Step;
import org.semiseg.method.parts.InnerGradient;
import org.semiseg.model.Dropout2d;
import org.semiseg.model.ShuffleDecoder;

import java.util.Map;

/**
 * The input of CCT's K auxiliary decoders in one array: each decoder's perturbed copy of the unlabeled images'
 * encoder output z (N, F, h, w), in the order of {@link Perturbation} and the counts given, stacked to
 * (N, K·F, h, w) for one grouped pass of the {@link ShuffleDecoder} (decoder k reads channels [kF, (k+1)F)). Every
 * copy keeps z's graph, so L_u reaches the encoder through each decoder; what a copy is multiplied by, or what is
 * added (VAT), carries no gradient.
 *
 * @param counts        decoders per kind, in {@link Perturbation} order (zeros allowed)
 * @param decoders      the auxiliary decoders (VAT's power iteration runs its own decoders)
 * @param settings      the perturbations' parameters
 * @param objectTable   per class (and one more entry, false, for padded pixels): whether it is an object
 */
public record PerturbedCopies(Map<Perturbation, Integer> counts, ShuffleDecoder decoders, Parameters settings,
                              boolean[] objectTable) {
    private static final long FEATURE_DROP = 0xCC7_0F0DL;
    private static final long CUTOUT = 0xCC7_C070L;

    /**
     * @param dropout       p of the dropout decoders' Dropout2d
     * @param dropLow       F-drop: γ ~ U(dropLow, dropHigh)
     * @param noise         F-noise: N ~ U(−noise, noise)
     * @param xi            I-VAT's ξ and ε, total norms at {@code referenceElements} values per image
     * @param erase         G-cutout: share of each object box's width and height that is cut
     * @param minContour    G-cutout: boundary pixels an object needs, at a crop of side {@code referenceCrop}
     * @param referenceCrop the authors' crop side: the reference of ξ, ε ({@code 512 · (crop / 8)²} values) and of
     *                      {@code minContour} (scaled by sqrt(H · W) / crop)
     */
    public record Parameters(double dropout, double dropLow, double dropHigh, double noise, double xi, double eps,
                             double erase, double minContour, int referenceCrop) {
        long referenceElements() {
            return 512L * (referenceCrop / 8) * (referenceCrop / 8);
        }
    }

    /** The first decoder of {@code kind} in the stack. */
    public int offset(Perturbation kind) {
        int offset = 0;
        for (Map.Entry<Perturbation, Integer> e : counts.entrySet()) {
            if (e.getKey() == kind) {
                return offset;
            }
            offset += e.getValue();
        }
        throw new IllegalArgumentException("no " + kind);
    }

    /**
     * @param z      the unlabeled images' encoder output (N, F, h, w), with its graph
     * @param labels the main decoder's argmax (N, H, W) int64, padded pixels set to the number of classes C
     * @return (N, K·F, h, w)
     */
    public NDArray stack(Step step, NDArray z, NDArray labels) {
        NDManager m = step.manager();
        Shape s = z.getShape();
        int n = (int) s.get(0);
        int f = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDArray z5 = z.expandDims(1);                                                     // (N, 1, F, h, w)
        NDArray objects = null;
        NDList parts = new NDList();
        int total = 0;
        for (Map.Entry<Perturbation, Integer> e : counts.entrySet()) {
            int k = e.getValue();
            if (k == 0) {
                continue;
            }
            if (objects == null && (e.getKey() == Perturbation.CONTEXT_MASKING || e.getKey() == Perturbation.OBJECT_MASKING)) {
                try (NDArray table = GraphSafe.upload(m, floats(objectTable), new Shape(objectTable.length))) {
                    objects = GuidedMasks.objects(labels, table, h, w).expandDims(1);        // (N, 1, 1, h, w)
                }
            }
            NDArray part = switch (e.getKey()) {
                case DROPOUT -> new Dropout2d(settings.dropout())
                        .apply(step.parameters(), z5.broadcast(n, k, f, h, w).reshape((long) n * k, f, h, w), true)
                        .reshape(n, k, f, h, w);
                case FEATURE_DROP -> {
                    float[] gamma = FeatureDrop.draw(step.random(FEATURE_DROP), n, k, settings.dropLow(), settings.dropHigh());
                    yield FeatureDrop.apply(z, GraphSafe.upload(m, gamma, new Shape(n, k)));
                }
                case FEATURE_NOISE -> FeatureNoise.apply(z, FeatureNoise.draw(m, k, s, settings.noise()));
                case VAT -> z5.add(vat(step, z, offset(Perturbation.VAT), k).toType(DataType.FLOAT32, false));
                case GUIDED_CUTOUT -> z5.mul(GraphSafe.upload(m, cutout(step, labels, k, h, w), new Shape(n, k, 1, h, w)));
                case CONTEXT_MASKING -> z5.mul(objects).broadcast(n, k, f, h, w);
                case OBJECT_MASKING -> z5.mul(objects.neg().add(1f)).broadcast(n, k, f, h, w); // graph-safe: a mask
            };
            parts.add(part);
            total += k;
        }
        return GraphSafe.concat(parts, 1).reshape(n, (long) total * f, h, w);
    }

    private float[] cutout(Step step, NDArray labels, int k, int h, int w) {
        Shape s = labels.getShape();
        int height = (int) s.get(1);
        int width = (int) s.get(2);
        int[] host = labels.toType(DataType.INT32, false).toIntArray();
        double minBoundary = settings.minContour() * Math.sqrt((double) height * width) / settings.referenceCrop();
        return GuidedMasks.cutout(host, objectTable, (int) s.get(0), height, width, k, h, w, settings.erase(),
                minBoundary, step.random(CUTOUT));
    }

    /** r_adv of the VAT decoders [from, from + k) on z (N, F, h, w): (N, k, F, h, w) float64, no graph. */
    private NDArray vat(Step step, NDArray z, int from, int k) {
        Shape s = z.getShape();
        long n = s.get(0);
        long elements = s.get(1) * s.get(2) * s.get(3);
        double xi = IntermediateVat.scaled(settings.xi(), elements, settings.referenceElements());
        double eps = IntermediateVat.scaled(settings.eps(), elements, settings.referenceElements());
        NDManager m = step.manager();
        // in float64: ξ per value is ~1e-9 of activations of order 1, below float32's resolution
        NDArray z64 = z.stopGradient().toType(DataType.FLOAT64, false).expandDims(1);      // (N, 1, F, h, w)
        Shape copies = new Shape(n, k, s.get(1), s.get(2), s.get(3));
        NDArray logP = logits(new Float64Store(InnerGradient.detached(m)), z64.broadcast(copies), from, k);
        NDArray p = logP.exp();
        NDArray random = m.randomUniform(-0.5f, 0.5f, copies, DataType.FLOAT64);
        return IntermediateVat.adversarial(random, xi, eps, (r, store) -> {
            NDArray logQ = logits(new Float64Store(store), z64.add(r), from, k);
            return p.mul(logP.sub(logQ)).sum();                                              // KL(p ‖ q)
        });
    }

    /** Log-softmax of decoders [from, from + k) on their inputs (N, k, F, h, w): (N, k, C, H', W'). */
    private NDArray logits(ParameterStore ps, NDArray inputs, int from, int k) {
        Shape s = inputs.getShape();
        NDArray out = decoders.apply(ps, inputs.reshape(s.get(0), s.get(1) * s.get(2), s.get(3), s.get(4)),
                from, from + k, true);
        Shape o = out.getShape();
        return out.reshape(s.get(0), k, o.get(1) / k, o.get(2), o.get(3)).logSoftmax(2);
    }

    private static float[] floats(boolean[] table) {
        float[] out = new float[table.length];
        for (int i = 0; i < table.length; i++) {
            out[i] = table[i] ? 1f : 0f;
        }
        return out;
    }

    /** A store whose values are another store's as float64 copies (VAT's power iteration). */
    private static final class Float64Store extends ParameterStore {
        private final ParameterStore inner;

        Float64Store(ParameterStore inner) {
            super(inner.getManager(), false);
            this.inner = inner;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray value = inner.getValue(parameter, device, training);
            NDArray out = value == null ? null : value.toType(DataType.FLOAT64, false);
            if (out != null) {
                out.attach(getManager());
            }
            return out;
        }
    }
}
