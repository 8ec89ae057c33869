package org.rpg4j.dl4j.distill;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Distillation attached to a student network: the student's output loss is a
 * {@link DistillationLoss}, and training batches must carry {@code [hard labels | teacher logits]}
 * labels, made by {@link #label(DataSet)} or the iterator of {@link #iterator(DataSetIterator)}.
 * Train with the student's own {@code fit()}; pruning attached before or after (RPG's masks, rank
 * loss and listeners) is untouched, because distillation changes only the output loss and the
 * labels. {@link #detach()} restores the student's original loss, e.g. before saving or
 * evaluating its score on plain labels.
 *
 * <pre>{@code
 * Distillation d = Distillation.attach(student, denseTeacher, DistillationConfig.defaults());
 * student.fit(d.iterator(trainData), epochs);
 * d.detach();
 * }</pre>
 */
public final class Distillation {
    private static final Logger LOG = LoggerFactory.getLogger(Distillation.class);

    private final BaseOutputLayer studentOutput;
    private final ILossFunction originalLoss;
    private final TeacherLogits teacher;
    private final DistillationConfig config;
    private boolean attached = true;

    private Distillation(BaseOutputLayer studentOutput, ILossFunction originalLoss, TeacherLogits teacher,
                         DistillationConfig config) {
        this.studentOutput = studentOutput;
        this.originalLoss = originalLoss;
        this.teacher = teacher;
        this.config = config;
    }

    /**
     * Makes the student learn from the teacher: replaces the student's output loss (cross-entropy,
     * or a distillation loss from an earlier attach, e.g. in a restored checkpoint) with a
     * {@link DistillationLoss} and freezes a copy of the teacher.
     *
     * @param student the network to train, MultiLayerNetwork or single-output ComputationGraph whose
     *     output layer has softmax (or identity) activation and a cross-entropy loss (MCXENT or
     *     negative log-likelihood); its output loss is modified
     * @param teacher a trained network of either type with the same number of classes; not modified
     *     (a copy is frozen: later changes to it do not reach the distillation)
     * @param config temperature and hardness
     * @return the attached distillation
     * @throws IllegalArgumentException if an argument is null, the teacher is the student, a network
     *     is not of a supported kind, or the output sizes differ
     */
    public static Distillation attach(Model student, Model teacher, DistillationConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null (use DistillationConfig.defaults())");
        }
        if (student != null && student == teacher) {
            throw new IllegalArgumentException("the teacher must be another network than the student (got the same "
                    + "instance twice); use a copy of the dense model, e.g. net.clone() before pruning");
        }
        BaseOutputLayer out = OutputLayers.of(student, "student");
        if (!(out.getActivationFn() instanceof ActivationSoftmax || out
                .getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException("the student's output activation must be softmax or identity, got "
                    + out.getActivationFn());
        }
        ILossFunction original = out.getLossFn() instanceof DistillationLoss ? new LossMCXENT() : out.getLossFn();
        if (!(original instanceof LossMCXENT)) {
            throw new IllegalArgumentException("the student's output loss must be cross-entropy (MCXENT or negative "
                    + "log-likelihood) for distillation to replace it, got " + original);
        }
        TeacherLogits frozen = TeacherLogits.of(teacher);
        if (frozen.classes() != out.getNOut()) {
            throw new IllegalArgumentException("the teacher outputs " + frozen.classes() + " classes but the student "
                    + out.getNOut() + "; distillation needs the same classes");
        }
        out.setLossFn(new DistillationLoss(config));
        LOG.info("distillation attached: {} (student loss was {})", config, original);
        return new Distillation(out, original, frozen, config);
    }

    /**
     * Runs the teacher once on the batch's features and returns the batch with distillation labels.
     *
     * @param batch features and hard labels {@code [mb, C]} (one-hot or soft); not modified
     * @return a new DataSet with the same features and masks and labels {@code [mb, 2C]}:
     *     {@code [hard labels | teacher logits]}
     * @throws IllegalArgumentException if the labels are not {@code [mb, C]}
     * @throws IllegalStateException after {@link #detach()}
     */
    public DataSet label(DataSet batch) {
        requireAttached("label");
        INDArray hard = batch.getLabels();
        if (hard == null || hard.rank() != 2 || hard.size(1) != teacher.classes()) {
            throw new IllegalArgumentException("the batch's labels must be [minibatch, " + teacher.classes()
                    + "] for distillation, got " + (hard == null ? "none" : Arrays.toString(hard.shape())));
        }
        INDArray logits = teacher.logits(batch.getFeatures(), batch.getFeaturesMaskArray());
        INDArray labels = Nd4j.hstack(hard, logits.castTo(hard.dataType()));
        return new DataSet(batch.getFeatures(), labels, batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
    }

    /**
     * @param base the training data with hard labels; its pre-processor runs before the teacher
     * @return an iterator over the same batches with distillation labels (see {@link #label})
     * @throws IllegalArgumentException if base is null
     */
    public DataSetIterator iterator(DataSetIterator base) {
        if (base == null) {
            throw new IllegalArgumentException("base iterator must not be null");
        }
        return new DistillationIterator(base, this);
    }

    /**
     * Restores the student's original output loss; labels made by {@link #label} no longer fit it.
     *
     * @throws IllegalStateException if already detached
     */
    public void detach() {
        requireAttached("detach");
        studentOutput.setLossFn(originalLoss);
        attached = false;
    }

    /** @return the temperature and hardness */
    public DistillationConfig config() {
        return config;
    }

    /** @return the number of classes {@code C} of teacher and student */
    public long classes() {
        return teacher.classes();
    }

    /** @return the teacher's frozen logits copy (package-private, for tests) */
    TeacherLogits teacher() {
        return teacher;
    }

    private void requireAttached(String call) {
        if (!attached) {
            throw new IllegalStateException(call + "() called after detach(); attach the distillation again");
        }
    }
}
