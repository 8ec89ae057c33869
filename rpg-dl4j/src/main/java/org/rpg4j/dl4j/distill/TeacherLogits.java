package org.rpg4j.dl4j.distill;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A frozen copy of a teacher network that returns its output layer's pre-activation (the logits
 * {@code z_t}) instead of its softmax: the copy's output activation is identity. The copy is made
 * once, so later changes to the teacher do not reach it; it only ever runs in inference mode
 * ({@code train = false}: batch-norm running statistics, no dropout) and never computes gradients.
 */
final class TeacherLogits {
    private final Model frozen;
    private final long classes;

    private TeacherLogits(Model frozen, long classes) {
        this.frozen = frozen;
        this.classes = classes;
    }

    /**
     * @param teacher a trained MultiLayerNetwork or single-output ComputationGraph whose output layer
     *     has softmax or identity activation; not modified
     * @return the frozen logits view of a copy of it
     * @throws IllegalArgumentException if the teacher is not such a network
     */
    static TeacherLogits of(Model teacher) {
        var original = OutputLayers.of(teacher, "teacher");
        if (!(original.getActivationFn() instanceof ActivationSoftmax
                || original.getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException("the teacher's output activation must be softmax or identity, got "
                    + original.getActivationFn());
        }
        Model copy = teacher instanceof MultiLayerNetwork m ? m.clone() : ((ComputationGraph) teacher).clone();
        OutputLayers.of(copy, "teacher").setActivationFn(new ActivationIdentity());
        return new TeacherLogits(copy, original.getNOut());
    }

    /** @return the number of classes {@code C} the teacher outputs */
    long classes() {
        return classes;
    }

    /**
     * @param features the batch's input, shape as the teacher expects (e.g. {@code [mb, c, h, w]});
     *     not modified
     * @param featuresMask the input mask, or null
     * @return {@code [mb, C]}: the teacher's logits, a new array outside any workspace
     */
    INDArray logits(INDArray features, INDArray featuresMask) {
        if (frozen instanceof MultiLayerNetwork m) {
            return m.output(features, false, featuresMask, null);
        }
        INDArray[] masks = featuresMask == null ? null : new INDArray[] {featuresMask};
        return ((ComputationGraph) frozen).output(false, new INDArray[] {features}, masks, null)[0];
    }

    /** @return the frozen copy (for tests) */
    Model network() {
        return frozen;
    }
}
