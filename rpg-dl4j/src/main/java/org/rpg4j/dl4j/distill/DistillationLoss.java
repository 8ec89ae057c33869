package org.rpg4j.dl4j.distill;

import java.util.Arrays;
import java.util.Locale;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J output loss for knowledge distillation (Hinton et al. 2015): per example
 * {@code hardness * CE(y, softmax(z_s)) + (1 - hardness) * T^2 * KL(softmax(z_t / T) || softmax(z_s / T))}
 * (convention in {@link DistillationConfig}).
 *
 * <p>What the loss sees: {@code preOutput} is the student's pre-activation {@code z_s}, shape
 * {@code [minibatch, C]}; the output layer's activation must be softmax (then the network's
 * {@code output()} still returns class probabilities) or identity. The softmaxes above are computed
 * here from {@code z_s}, in log space, whatever the activation. The labels are
 * {@code [minibatch, 2C]}: columns {@code [0, C)} the hard labels {@code y} (one-hot or any rows
 * of non-negative weights), columns {@code [C, 2C)} the teacher's logits {@code z_t}, as
 * {@link Distillation#label} builds them.
 *
 * <p>Gradient with respect to {@code z_s}, per example (not divided by the minibatch size, as DL4J
 * expects): {@code hardness * (softmax(z_s) * sum(y) - y) + (1 - hardness) * T * (softmax(z_s / T) - softmax(z_t / T))}.
 * A mask may be per example ({@code [minibatch, 1]}); it multiplies each example's score and
 * gradient. Inputs are never modified.
 */
public final class DistillationLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    private final double temperature;
    private final double hardness;

    /**
     * @param config temperature and hardness
     * @throws IllegalArgumentException if config is null
     */
    public DistillationLoss(DistillationConfig config) {
        this(checked(config).temperature(), config.hardness());
    }

    /**
     * For JSON (DL4J stores an output layer's loss in the network's configuration).
     *
     * @param temperature {@code T > 0}
     * @param hardness weight of the hard labels in [0, 1]
     * @throws IllegalArgumentException if a value is outside its range
     */
    @JsonCreator
    public DistillationLoss(@JsonProperty("temperature") double temperature,
                            @JsonProperty("hardness") double hardness) {
        DistillationConfig valid = new DistillationConfig(temperature, hardness);
        this.temperature = valid.temperature();
        this.hardness = valid.hardness();
    }

    /** @return the temperature and hardness of this loss */
    public DistillationConfig config() {
        return new DistillationConfig(temperature, hardness);
    }

    /** @return the temperature {@code T} (for JSON) */
    @JsonProperty("temperature")
    public double getTemperature() {
        return temperature;
    }

    /** @return the weight of the hard labels (for JSON) */
    @JsonProperty("hardness")
    public double getHardness() {
        return hardness;
    }

    /**
     * @param labels {@code [minibatch, 2C]}: hard labels, then teacher logits
     * @param preOutput {@code [minibatch, C]}: the student's pre-activation {@code z_s}
     * @param activationFn the output layer's activation, softmax or identity
     * @param mask {@code [minibatch, 1]} per-example mask, or null
     * @param average whether to divide the sum over examples by the minibatch size
     * @return the loss summed (or averaged) over examples
     * @throws IllegalArgumentException if shapes, activation or mask are not as described
     */
    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    /**
     * @param labels {@code [minibatch, 2C]}: hard labels, then teacher logits
     * @param preOutput {@code [minibatch, C]}: the student's pre-activation {@code z_s}
     * @param activationFn the output layer's activation, softmax or identity
     * @param mask {@code [minibatch, 1]} per-example mask, or null
     * @return {@code [minibatch, 1]}: each example's loss (times its mask)
     * @throws IllegalArgumentException if shapes, activation or mask are not as described
     */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Split s = split(labels, preOutput, activationFn, mask);
        INDArray score = Nd4j.zeros(preOutput.dataType(), preOutput.size(0), 1);
        if (hardness > 0) {
            // CE(y, softmax(z_s)) = -sum_j y_j log softmax(z_s)_j
            INDArray ce = s.hard.mul(logSoftmax(s.student)).sum(true, 1).negi();
            score.addi(ce.muli(hardness));
        }
        if (hardness < 1) {
            // KL(q_t || q_s) = sum_j q_t,j (log q_t,j - log q_s,j), q = softmax(z / T)
            INDArray logQt = logSoftmax(s.teacher.div(temperature));
            INDArray logQs = logSoftmax(s.student.div(temperature));
            INDArray kl = Transforms.exp(logQt, true).muli(logQt.subi(logQs)).sum(true, 1);
            score.addi(kl.muli((1 - hardness) * temperature * temperature));
        }
        return mask == null ? score : score.muliColumnVector(s.mask);
    }

    /**
     * @param labels {@code [minibatch, 2C]}: hard labels, then teacher logits
     * @param preOutput {@code [minibatch, C]}: the student's pre-activation {@code z_s}
     * @param activationFn the output layer's activation, softmax or identity
     * @param mask {@code [minibatch, 1]} per-example mask, or null
     * @return {@code [minibatch, C]}: dLoss/dz_s per example (a new array)
     * @throws IllegalArgumentException if shapes, activation or mask are not as described
     */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Split s = split(labels, preOutput, activationFn, mask);
        INDArray gradient = preOutput.ulike().assign(0);
        if (hardness > 0) {
            // d CE / d z_s = softmax(z_s) * sum_j y_j - y
            INDArray p = Transforms.exp(logSoftmax(s.student), false);
            gradient.addi(p.muliColumnVector(s.hard.sum(true, 1)).subi(s.hard).muli(hardness));
        }
        if (hardness < 1) {
            // d (T^2 KL) / d z_s = T^2 * (1/T) * (q_s - q_t) = T * (q_s - q_t)
            INDArray qs = Transforms.exp(logSoftmax(s.student.div(temperature)), false);
            INDArray qt = Transforms.exp(logSoftmax(s.teacher.div(temperature)), false);
            gradient.addi(qs.subi(qt).muli((1 - hardness) * temperature));
        }
        return mask == null ? gradient : gradient.muliColumnVector(s.mask);
    }

    /**
     * @param labels {@code [minibatch, 2C]}: hard labels, then teacher logits
     * @param preOutput {@code [minibatch, C]}: the student's pre-activation {@code z_s}
     * @param activationFn the output layer's activation, softmax or identity
     * @param mask {@code [minibatch, 1]} per-example mask, or null
     * @param average whether the score is divided by the minibatch size (the gradient never is)
     * @return the score and the gradient {@code [minibatch, C]}
     * @throws IllegalArgumentException if shapes, activation or mask are not as described
     */
    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /**
     * Row-wise log-softmax, computed stably: {@code z - max - log(sum(exp(z - max)))}.
     *
     * @param z {@code [rows, C]}, not modified
     * @return {@code [rows, C]}, a new array
     */
    static INDArray logSoftmax(INDArray z) {
        INDArray shifted = z.subColumnVector(z.max(true, 1));
        INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSum);
    }

    /** @return {@code distill(T=..., hardness=...)} */
    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "distill(T=%s, hardness=%s)", temperature, hardness);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistillationLoss d && d.temperature == temperature && d.hardness == hardness;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(temperature) * 31 + Double.hashCode(hardness);
    }

    private static DistillationConfig checked(DistillationConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null (use DistillationConfig.defaults())");
        }
        return config;
    }

    /** The labels' two halves and the student's logits, all in the student's data type. */
    private record Split(INDArray hard, INDArray teacher, INDArray student, INDArray mask) {}

    private static Split split(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (!(activationFn instanceof ActivationSoftmax || activationFn instanceof ActivationIdentity)) {
            throw new IllegalArgumentException("the output layer's activation must be softmax or identity for "
                    + "distillation (the loss works on the pre-activation logits), got " + activationFn);
        }
        if (preOutput.rank() != 2 || labels.rank() != 2 || labels.size(0) != preOutput.size(0)
                || labels.size(1) != 2 * preOutput.size(1)) {
            throw new IllegalArgumentException("distillation labels must be [minibatch, 2 * nOut] = [hard labels | "
                    + "teacher logits] for an output of [minibatch, nOut]; got labels " + Arrays.toString(labels
                            .shape()) + " and output " + Arrays.toString(preOutput.shape())
                    + " (label the batches with Distillation.label or Distillation.iterator)");
        }
        INDArray m = null;
        if (mask != null) {
            if (mask.length() != preOutput.size(0) || mask.rank() == 2 && mask.size(1) != 1) {
                throw new IllegalArgumentException("distillation supports per-example masks [minibatch, 1] only, "
                        + "got mask " + Arrays.toString(mask.shape()) + " for output " + Arrays.toString(
                                preOutput.shape()));
            }
            m = mask.reshape(preOutput.size(0), 1).castTo(preOutput.dataType());
        }
        long c = preOutput.size(1);
        INDArray typed = labels.castTo(preOutput.dataType());
        return new Split(typed.get(NDArrayIndex.all(), NDArrayIndex.interval(0, c)),
                typed.get(NDArrayIndex.all(), NDArrayIndex.interval(c, 2 * c)), preOutput, m);
    }
}
