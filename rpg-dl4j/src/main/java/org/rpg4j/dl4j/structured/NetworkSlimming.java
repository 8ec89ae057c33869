package org.rpg4j.dl4j.structured;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.structured.ChannelCriterion;
import org.rpg4j.structured.ChannelGroup;
import org.rpg4j.structured.ChannelSlice;
import org.rpg4j.structured.SliceRole;
import org.rpg4j.structured.TensorSource;

/**
 * Network Slimming (Liu et al., ICCV 2017): an L1 penalty {@code lambda * sum |gamma|} on every
 * batch-norm scale during training, then channels ranked by {@code |gamma|} (use it with
 * {@link RankingScope#GLOBAL} for the paper's global threshold), pruned and fine-tuned.
 *
 * <p>The penalty is applied by a listener after each iteration as a subgradient step
 * {@code gamma -= step * sign(gamma)}, {@code step = learning rate * lambda} (DL4J's batch-norm layer
 * takes no {@code Regularization} on its parameters, so a listener is the hook); with plain SGD this is
 * exactly the penalty's gradient step. Groups with no batch-norm gamma cannot be scored: exclude their
 * producers, or the criterion throws.
 */
public final class NetworkSlimming implements ChannelCriterion, TrainingHook {
    /** Name in configurations. */
    public static final String NAME = "slimming";
    /** Default step per iteration: learning rate 0.1 times the paper's lambda 1e-4. */
    public static final double DEFAULT_STEP = 1e-5;

    private final double step;
    private final List<TrainingListener> installed = new ArrayList<>();

    /** A criterion whose training hook uses {@link #DEFAULT_STEP}. */
    public NetworkSlimming() {
        this(DEFAULT_STEP);
    }

    /**
     * @param step {@code learning rate * lambda}, subtracted times {@code sign(gamma)} after each
     *     iteration, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code step} is negative or not finite
     */
    public NetworkSlimming(double step) {
        if (!(step >= 0 && Double.isFinite(step))) {
            throw new IllegalArgumentException("step must be finite and >= 0, got " + step);
        }
        this.step = step;
    }

    /**
     * @param gamma batch-norm scales, any shape
     * @param lambda penalty weight
     * @return {@code lambda * sum |gamma|}
     */
    public static double penalty(INDArray gamma, double lambda) {
        return lambda * gamma.castTo(DataType.DOUBLE).norm1Number().doubleValue();
    }

    /**
     * @param gamma batch-norm scales, any shape; not modified
     * @param lambda penalty weight
     * @return the penalty's (sub)gradient {@code lambda * sign(gamma)} (0 where gamma is 0), a new array
     */
    public static INDArray gradient(INDArray gamma, double lambda) {
        return Transforms.sign(gamma, true).muli(lambda);
    }

    @Override
    public double[] scores(ChannelGroup group, TensorSource tensors) {
        List<ChannelSlice> gammas = group.slices(SliceRole.PASS_THROUGH).stream()
                .filter(s -> s.param().equals("gamma")).toList();
        if (gammas.isEmpty()) {
            throw new IllegalArgumentException("group '" + group.name() + "' has no batch-norm gamma for criterion '"
                    + NAME + "'; exclude its producers " + group.producers());
        }
        double[] scores = new double[group.size()];
        for (ChannelSlice s : gammas) {
            double[] g = Transforms.abs(tensors.tensor(s.layer(), s.param()), true).castTo(DataType.DOUBLE)
                    .reshape(-1).toDoubleVector();
            for (int i = 0; i < s.blocks(); i++) {
                for (int k = 0; k < s.blockSize(); k++) {
                    scores[s.channelAt(i)] += g[s.offset() + i * s.blockSize() + k];
                }
            }
        }
        return scores;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void install(Model net, ChannelDependencies deps) {
        List<INDArray> gammas = new ArrayList<>();
        TensorSource tensors = StructuredPruning.tensors(deps.graph());
        for (ChannelGroup g : deps.groups()) {
            for (ChannelSlice s : g.slices(SliceRole.PASS_THROUGH)) {
                if (s.param().equals("gamma")) {
                    INDArray t = tensors.tensor(s.layer(), s.param());
                    if (gammas.stream().noneMatch(x -> x == t)) {
                        gammas.add(t);
                    }
                }
            }
        }
        TrainingListener l = new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                for (INDArray gamma : gammas) {
                    gamma.subi(gradient(gamma, step));
                }
            }
        };
        installed.add(l);
        net.addListeners(l);
    }

    @Override
    public void remove(Model net) {
        NetworkListeners.of(net).removeAll(installed);
        installed.clear();
    }
}
