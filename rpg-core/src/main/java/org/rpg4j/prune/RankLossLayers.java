package org.rpg4j.prune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.mask.ParallelIndices;
import org.rpg4j.rank.AdversarialRankLoss;
import org.rpg4j.rank.BlasThreads;
import org.rpg4j.rank.RankLossResult;

/**
 * Which tensors take part in the adversarial rank loss, and the rank step over them: the
 * convolutions (or every prunable tensor, {@link RankLayers#ALL_PRUNABLE}) whose zero fraction has
 * reached {@link RankLoss#minLayerSparsity()}.
 */
final class RankLossLayers {
    /** Layers decomposed at a time (measured on 2 cores; see docs/performance.md, session 10). */
    static final int WORKERS = 2;

    private final RankLoss settings;
    private final TensorList tensors;

    RankLossLayers(RankLoss settings, TensorList tensors) {
        this.settings = settings;
        this.tensors = tensors;
    }

    /** @return whether the tensor can take part (whether it does depends on its sparsity at the update) */
    boolean isCandidate(int index) {
        PrunableTensor t = tensors.get(index);
        return settings.enabled() && (t.kind() != TensorKind.DENSE || settings.layers() != RankLayers.CONVOLUTIONS);
    }

    /**
     * The rank step over the layers that take part, {@value #WORKERS} layers at a time: the layers
     * are independent, and one layer's decomposition leaves most of a second core idle (its normalisation,
     * gradient and parts of LAPACK's eigensolver run on one thread). The widest layers start first, each
     * worker takes the next layer when it is done, and each result goes to its layer's slot, so the
     * results do not depend on which thread computed what; a failure is reported as a sequential loop
     * would report it (the first failing layer in tensor order). Each layer's BLAS and LAPACK calls run
     * on one BLAS thread ({@link BlasThreads}; the count is restored afterwards): two workers over two
     * BLAS threads each oversubscribed 2 cores and made VGG-19's step 3x slower, and a fixed count keeps
     * each layer's rounding the same whatever the number of layers.
     *
     * @param weights the weights in tensor order; not modified
     * @return per-layer losses and gradients, with the reference aggregation (mean over active layers)
     */
    RankStep compute(INDArray[] weights) {
        int[] order = largestFirst(weights);
        RankLossResult[] computed = new RankLossResult[tensors.size()];
        RuntimeException[] errors = new RuntimeException[tensors.size()];
        AtomicInteger next = new AtomicInteger();
        int blasThreads = BlasThreads.current();
        try {
            ParallelIndices.forEach(Math.min(WORKERS, order.length), worker -> {
                // Set on every worker thread (an OpenMP build keeps the count per thread); restored only
                // after all have joined (a pthreads build keeps one count for the process).
                if (blasThreads > 1) {
                    BlasThreads.set(1);
                }
                for (int j = next.getAndIncrement(); j < order.length; j = next.getAndIncrement()) {
                    int i = order[j];
                    try {
                        computed[i] = AdversarialRankLoss.compute(
                                weights[i].permute(tensors.get(i).outputFirstAxes()), settings.partialK());
                    } catch (RuntimeException e) {
                        errors[i] = e;
                    }
                }
            });
        } finally {
            if (blasThreads > 1) {
                BlasThreads.set(blasThreads);
            }
        }
        Map<String, RankLossResult> results = new LinkedHashMap<>();
        Map<String, int[]> axes = new HashMap<>();
        for (int i = 0; i < computed.length; i++) {
            if (errors[i] != null) {
                throw errors[i];
            }
            if (computed[i] != null) {
                PrunableTensor t = tensors.get(i);
                results.put(t.name(), computed[i]);
                axes.put(t.name(), t.outputFirstAxes());
            }
        }
        return new RankStep(results, axes,
                AdversarialRankLoss.aggregate(new ArrayList<>(results.values()), settings.lambda()));
    }

    /**
     * @return the indices of the tensors that take part, by decreasing cost of their decomposition
     *     ({@code rest * out * min(out, rest)}, the Gram product's flops), ties in tensor order
     */
    private int[] largestFirst(INDArray[] weights) {
        List<Integer> taking = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            if (takesPart(i, weights[i])) {
                taking.add(i);
            }
        }
        taking.sort(Comparator.comparingDouble((Integer i) -> -cost(weights[i], tensors.get(i)))
                .thenComparingInt(i -> i));
        return taking.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double cost(INDArray weights, PrunableTensor tensor) {
        double out = weights.size(tensor.outputFirstAxes()[0]);
        double rest = weights.length() / out;
        return out * rest * Math.min(out, rest);
    }

    private boolean takesPart(int index, INDArray weights) {
        if (!isCandidate(index)) {
            return false;
        }
        if (settings.minLayerSparsity() == 0) {
            return true;
        }
        double zeros = ExactCounts.zeros(weights);
        return zeros / weights.length() >= settings.minLayerSparsity();
    }
}
