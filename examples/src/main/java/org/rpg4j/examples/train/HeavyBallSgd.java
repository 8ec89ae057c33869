package org.rpg4j.examples.train;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * SGD with heavy-ball momentum as PyTorch's {@code torch.optim.SGD(momentum=mu, nesterov=False,
 * dampening=0)} runs it, which is what the RPG reference recipe uses:
 * {@code v <- mu * v + g; w <- w - lr * v}. DL4J ships only Nesterov momentum ({@code Nesterovs}),
 * whose step {@code w <- w + mu * v_prev - (1 + mu) * v} differs. Coupled weight decay is DL4J's
 * L2 regularisation, which adds {@code wd * w} to {@code g} before this updater, as PyTorch does.
 *
 * <p>Serialised with the network configuration (class name and the three fields below), so a saved
 * model that used it loads where this class is on the class path. Updater state: one array
 * {@code "V"}, the velocity, of the parameters' size.
 */
public final class HeavyBallSgd implements IUpdater {
    private static final long serialVersionUID = 1L;

    @JsonProperty("learningRate")
    private double learningRate;
    @JsonProperty("learningRateSchedule")
    private ISchedule learningRateSchedule;
    @JsonProperty("momentum")
    private final double momentum;

    /**
     * @param learningRate constant learning rate, used when {@code learningRateSchedule} is null
     * @param learningRateSchedule learning rate by iteration, or null
     * @param momentum momentum in {@code [0, 1)}
     * @throws IllegalArgumentException if momentum is outside {@code [0, 1)}
     */
    @JsonCreator
    public HeavyBallSgd(@JsonProperty("learningRate") double learningRate,
                        @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                        @JsonProperty("momentum") double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
        this.momentum = momentum;
    }

    /**
     * @param schedule learning rate by iteration
     * @param momentum momentum in {@code [0, 1)}
     */
    public HeavyBallSgd(ISchedule schedule, double momentum) {
        this(Double.NaN, Objects.requireNonNull(schedule, "schedule"), momentum);
    }

    /** @return the momentum */
    public double momentum() {
        return momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<HeavyBallSgd> instantiate(INDArray viewArray, boolean initializeViewArray) {
        HeavyBallSgdUpdater updater = new HeavyBallSgdUpdater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        updater.setStateViewArray(flat, flat.shape(), flat.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater<HeavyBallSgd> instantiate(Map<String, INDArray> updaterState,
                                                     boolean initializeStateArrays) {
        HeavyBallSgdUpdater updater = new HeavyBallSgdUpdater(this);
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public HeavyBallSgd clone() {
        return new HeavyBallSgd(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(),
                momentum);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeavyBallSgd h && Double.compare(learningRate, h.learningRate) == 0
                && Double.compare(momentum, h.momentum) == 0
                && Objects.equals(learningRateSchedule, h.learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, momentum);
    }

    @Override
    public String toString() {
        return "HeavyBallSgd{lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate)
                + ", momentum=" + momentum + "}";
    }
}
