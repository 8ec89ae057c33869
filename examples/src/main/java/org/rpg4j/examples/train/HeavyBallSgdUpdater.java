package org.rpg4j.examples.train;

import java.util.Collections;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.learning.GradientUpdater;

/** The state and step of {@link HeavyBallSgd}: {@code v <- mu * v + g}, then the update is {@code lr * v}. */
final class HeavyBallSgdUpdater implements GradientUpdater<HeavyBallSgd> {
    /** Key of the velocity in the updater state. */
    static final String VELOCITY = "V";

    private final HeavyBallSgd config;
    private INDArray velocity;

    HeavyBallSgdUpdater(HeavyBallSgd config) {
        this.config = config;
    }

    @Override
    public HeavyBallSgd getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (stateMap.size() != 1 || !stateMap.containsKey(VELOCITY)) {
            throw new IllegalStateException("state map must hold exactly the key " + VELOCITY + ", got "
                    + stateMap.keySet());
        }
        velocity = stateMap.get(VELOCITY);
        if (initialize) {
            velocity.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Collections.singletonMap(VELOCITY, velocity);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        velocity = Shape.newShapeNoCopy(viewArray, gradientShape, gradientOrder == 'f');
        if (velocity == null) {
            throw new IllegalStateException("could not reshape the updater state view to the gradient's shape");
        }
    }

    /** Rewrites {@code gradient} in place into the update {@code lr * v} that DL4J subtracts from the weights. */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (velocity == null) {
            throw new IllegalStateException("the updater state was not set before the first step");
        }
        double lr = config.getLearningRate(iteration, epoch);
        INDArray g = gradient.reshape(velocity.shape());
        velocity.muli(config.momentum()).addi(g);   // v = mu * v + g
        g.assign(velocity).muli(lr);                // update = lr * v
    }
}
