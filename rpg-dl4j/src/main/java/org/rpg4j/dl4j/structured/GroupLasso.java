package org.rpg4j.dl4j.structured;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelCriterion;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSlice;
import org.rpg4j.structured.FilterL2Norm;
import org.rpg4j.structured.KeepSelection;
import org.rpg4j.structured.SliceRole;
import org.rpg4j.structured.TensorSource;

/**
 * SSL (Wen et al., NIPS 2016): group lasso {@code lambda * sum_g ||W_g||_2} on filters (each output
 * index of a producing weight {@code W}) and input channels (each input index of a consuming
 * {@code W}) of every unlocked group, applied after each iteration as the step
 * {@code W_g -= step * W_g / ||W_g||} ({@code step = learning rate * lambda}; 0 for a zero group).
 * Channels are scored by the L2 norm of their filters; {@link #removeBelow} removes those under a
 * threshold.
 */
public final class GroupLasso implements ChannelCriterion, TrainingHook {
    /** Name in configurations. */
    public static final String NAME = "ssl";
    /** Default step per iteration ({@code learning rate * lambda}). */
    public static final double DEFAULT_STEP = 1e-5;

    private final double step;
    private final List<TrainingListener> installed = new ArrayList<>();

    /** A criterion whose training hook uses {@link #DEFAULT_STEP}. */
    public GroupLasso() {
        this(DEFAULT_STEP);
    }

    /**
     * @param step {@code learning rate * lambda}, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code step} is negative or not finite
     */
    public GroupLasso(double step) {
        if (!(step >= 0 && Double.isFinite(step))) {
            throw new IllegalArgumentException("step must be finite and >= 0, got " + step);
        }
        this.step = step;
    }

    /**
     * @param w a weight, any rank {@code >= 2}
     * @param axis the axis whose indices are the groups
     * @param lambda penalty weight
     * @return {@code lambda * sum over i of ||w[.., i, ..]||_2}
     */
    public static double penalty(INDArray w, int axis, double lambda) {
        return lambda * w.castTo(DataType.DOUBLE).norm2(others(w.rank(), axis)).sumNumber().doubleValue();
    }

    /**
     * @param w a weight, any rank {@code >= 2}; not modified
     * @param axis the axis whose indices are the groups
     * @param lambda penalty weight
     * @return the penalty's gradient {@code lambda * w_g / ||w_g||} (0 for a zero group), same type as {@code w}
     */
    public static INDArray gradient(INDArray w, int axis, double lambda) {
        double[] norms = w.castTo(DataType.DOUBLE).norm2(others(w.rank(), axis)).toDoubleVector();
        double[] factor = new double[norms.length];
        for (int i = 0; i < norms.length; i++) {
            factor[i] = norms[i] > 0 ? lambda / norms[i] : 0;
        }
        INDArray out = w.dup();
        Nd4j.getExecutioner().exec(new BroadcastMulOp(out, Nd4j.createFromArray(factor).castTo(w.dataType()), out,
                axis));
        return out;
    }

    private static int[] others(int rank, int axis) {
        if (rank < 2 || axis < 0 || axis >= rank) {
            throw new IllegalArgumentException("axis must be in [0, rank) of a weight of rank >= 2, got axis "
                    + axis + " of rank " + rank);
        }
        int[] o = new int[rank - 1];
        for (int a = 0, j = 0; a < rank; a++) {
            if (a != axis) {
                o[j++] = a;
            }
        }
        return o;
    }

    @Override
    public double[] scores(ChannelGroup group, TensorSource tensors) {
        return new FilterL2Norm().scores(group, tensors);
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Removes every unlocked channel whose filter L2 norm is below {@code threshold} (a group keeps
     * at least its strongest channel).
     *
     * @param net an initialised network; not modified
     * @param threshold norm below which a channel goes, {@code >= 0}
     * @param inputShape {@code [channels, height, width]} for multiply-add counts, or null
     * @return the smaller network and its report
     * @throws IllegalArgumentException if {@code threshold} is negative or not finite
     */
    public static StructuredResult removeBelow(Model net, double threshold, int[] inputShape) {
        if (!(threshold >= 0 && Double.isFinite(threshold))) {
            throw new IllegalArgumentException("threshold must be finite and >= 0, got " + threshold);
        }
        ChannelDependencies deps = ChannelDependencies.analyse(net);
        TensorSource tensors = StructuredPruning.tensors(deps.graph());
        KeepSelection selection = KeepSelection.keepAll(deps.groups());
        for (ChannelGroup g : deps.groups()) {
            if (!g.locked()) {
                selection = selection.with(g.id(), keepAbove(new FilterL2Norm().scores(g, tensors), threshold));
            }
        }
        return StructuredPruning.shrink(deps, selection, Optional.ofNullable(inputShape).map(int[]::clone));
    }

    private static boolean[] keepAbove(double[] scores, double threshold) {
        boolean[] keep = new boolean[scores.length];
        int best = 0;
        boolean any = false;
        for (int c = 0; c < scores.length; c++) {
            keep[c] = scores[c] >= threshold;
            any |= keep[c];
            best = scores[c] > scores[best] ? c : best;
        }
        keep[best] |= !any;
        return keep;
    }

    @Override
    public void install(Model net, ChannelDependencies deps) {
        List<INDArray> weights = new ArrayList<>();
        List<Integer> axes = new ArrayList<>();
        TensorSource tensors = StructuredPruning.tensors(deps.graph());
        for (ChannelGroup g : deps.groups()) {
            for (ChannelSlice s : g.slices()) {
                if (!g.locked() && s.param().equals("W") && s.role() != SliceRole.PASS_THROUGH) {
                    INDArray t = tensors.tensor(s.layer(), s.param());
                    if (!contains(weights, axes, t, s.axis())) {
                        weights.add(t);
                        axes.add(s.axis());
                    }
                }
            }
        }
        TrainingListener l = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                for (int i = 0; i < weights.size(); i++) {
                    weights.get(i).subi(gradient(weights.get(i), axes.get(i), step));
                }
            }
        };
        installed.add(l);
        net.addListeners(l);
    }

    private static boolean contains(List<INDArray> weights, List<Integer> axes, INDArray t, int axis) {
        for (int i = 0; i < weights.size(); i++) {
            if (weights.get(i) == t && axes.get(i) == axis) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void remove(Model net) {
        NetworkListeners.of(net).removeAll(installed);
        installed.clear();
    }
}
