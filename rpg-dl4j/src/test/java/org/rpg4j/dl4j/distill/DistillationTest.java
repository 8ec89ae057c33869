package org.rpg4j.dl4j.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.TestDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.rpg4j.dl4j.Dl4jPruning;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.RankLoss;

/** Distillation attached to real networks: teacher logits, errors, training, and RPG alongside. */
class DistillationTest {
    private static final int ITERATIONS = 8;

    @ParameterizedTest(name = "graph={0}")
    @ValueSource(booleans = {false, true})
    void labelsCarryTheTeachersLogitsAndLeaveTheTeacherAlone(boolean graph) {
        Model teacher = DistillNets.conv(graph, 1);
        Model student = DistillNets.conv(!graph, 2);
        DataSet batch = DistillNets.images(1, 5, 3).get(0);
        INDArray teacherBefore = DistillNets.output(teacher, batch.getFeatures());
        INDArray paramsBefore = teacher.params().dup();

        Distillation d = Distillation.attach(student, teacher, new DistillationConfig(2, 0.5));
        DataSet labelled = d.label(batch);

        assertArrayEquals(new long[] {5, 6}, labelled.getLabels().shape());
        assertEquals(batch.getLabels(), labelled.getLabels().getColumns(0, 1, 2));
        // softmax of the logits half = the teacher's own probabilities
        INDArray logits = labelled.getLabels().getColumns(3, 4, 5);
        assertArrayEquals(teacherBefore.data().asFloat(), Transforms.softmax(logits, true).data().asFloat(), 1e-5f);
        assertEquals(teacherBefore, DistillNets.output(teacher, batch.getFeatures()), "teacher output unchanged");
        assertEquals(paramsBefore, teacher.params(), "teacher parameters unchanged");
        assertInstanceOf(DistillationLoss.class, OutputLayers.of(student, "student").getLossFn());
        DataSetIterator iterator = d.iterator(new TestDataSetIterator(batch, 5));
        assertEquals(labelled.getLabels(), iterator.next().getLabels(), "the iterator labels as label() does");
        assertEquals(6, iterator.totalOutcomes());
        assertFalse(iterator.asyncSupported(), "the teacher stays on the training thread");
        d.detach();
        assertInstanceOf(LossMCXENT.class, OutputLayers.of(student, "student").getLossFn());
    }

    @Test
    void badAttachmentsAreRejected() {
        MultiLayerNetwork student = DistillNets.mlp(1, 4, 6, 3);
        DistillationConfig config = DistillationConfig.defaults();
        assertMessage(() -> Distillation.attach(student, student, config), "another network than the student");
        assertMessage(() -> Distillation.attach(student, DistillNets.mlp(2, 4, 6, 5), config),
                "the teacher outputs 5 classes but the student 3");
        assertMessage(() -> Distillation.attach(student, DistillNets.mlp(2, 4, 6, 3), null), "config");
        assertMessage(() -> Distillation.attach(null, DistillNets.mlp(2, 4, 6, 3), config),
                "student must be a MultiLayerNetwork or a ComputationGraph, got null");
        assertMessage(() -> Distillation.attach(mseNet(), DistillNets.mlp(2, 4, 6, 3), config), "cross-entropy");
        assertEquals(LossMCXENT.class, OutputLayers.of(student, "student").getLossFn().getClass(),
                "a failed attach leaves the student alone");

        Distillation d = Distillation.attach(student, DistillNets.mlp(2, 4, 6, 3), config);
        assertMessage(() -> d.label(new DataSet(Nd4j.rand(2, 4), Nd4j.zeros(2, 4))), "labels must be [minibatch, 3]");
        d.detach();
        assertThrows(IllegalStateException.class, d::detach);
        assertThrows(IllegalStateException.class, () -> d.label(new DataSet(Nd4j.rand(2, 4), Nd4j.zeros(2, 3))));
    }

    /**
     * The property distillation exists for: a small student trained against a teacher's soft
     * outputs matches the teacher's distribution better (lower KL(teacher || student) on held-out
     * inputs) than the same student, from the same initialisation, trained on the teacher's hard
     * labels alone.
     */
    @Test
    void distilledStudentMatchesTheTeacherBetter() {
        MultiLayerNetwork teacher = DistillNets.mlp(11, 8, 32, 4);
        List<DataSet> train = teacherLabelled(teacher, 48, 64, 21);
        DataSet test = teacherLabelled(teacher, 1, 1024, 22).get(0);
        MultiLayerNetwork plain = DistillNets.mlp(12, 8, 6, 4);
        MultiLayerNetwork distilled = plain.clone();
        Distillation d = Distillation.attach(distilled, teacher, new DistillationConfig(4, 0.5));
        for (int epoch = 0; epoch < 3; epoch++) {
            for (DataSet batch : train) {
                plain.fit(batch);
                distilled.fit(d.label(batch));
            }
        }
        double klPlain = meanKl(teacher.output(test.getFeatures()), plain.output(test.getFeatures()));
        double klDistilled = meanKl(teacher.output(test.getFeatures()), distilled.output(test.getFeatures()));
        assertTrue(klDistilled < 0.8 * klPlain, "KL(teacher || student): distilled " + klDistilled + ", plain "
                + klPlain);
    }

    @ParameterizedTest(name = "graph={0}")
    @ValueSource(booleans = {false, true})
    void rpgKeepsPrunedWeightsAtZeroWhileDistilling(boolean graph) {
        Model student = DistillNets.conv(graph, 4);
        PruningConfig config = PruningConfig.builder(0.75, ITERATIONS).deltaT(2)
                .rankLoss(RankLoss.lambda(1.0).partialK(0.2)).build();
        Pruning pruning = Dl4jPruning.attach(student, config);
        Distillation d = Distillation.attach(student, DistillNets.conv(false, 5), new DistillationConfig(4, 0.3));
        List<DataSet> data = DistillNets.images(ITERATIONS, 8, 6);
        long pruned = 0;
        INDArray before = student.params().dup();
        for (int i = 0; i < ITERATIONS; i++) {
            DistillNets.fit(student, d.label(data.get(i)));
            pruned = Math.max(pruned, assertPrunedAreZero(pruning, "iteration " + i));
            assertTrue(Double.isFinite(student.score()), "finite distillation loss");
        }
        assertTrue(pruned > 0, "the run must prune something for the check to mean anything");
        assertEquals(0.75, pruning.sparsity(), 0.01);
        assertNotEquals(before, student.params(), "the student trained");
    }

    /** @return the number of masked weights, after checking each is exactly 0.0 */
    private static long assertPrunedAreZero(Pruning pruning, String when) {
        long count = 0;
        for (PrunableTensor t : pruning.tensors()) {
            String[] parts = t.name().split("/");
            Model net = pruning.network();
            INDArray w = net instanceof MultiLayerNetwork m ? m.getLayer(parts[0]).getParam(parts[1])
                    : ((ComputationGraph) net).getLayer(parts[0]).getParam(parts[1]);
            float[] weights = w.dup('c').data().asFloat();
            float[] mask = pruning.mask(t.name()).dup('c').data().asFloat();
            for (int i = 0; i < weights.length; i++) {
                if (mask[i] == 0f) {
                    count++;
                    // == rather than assertEquals: masking a negative weight leaves -0.0, which is zero
                    assertTrue(weights[i] == 0.0f, when + ": pruned " + t.name() + "[" + i + "] is " + weights[i]);
                }
            }
        }
        return count;
    }

    /** Inputs ~ N(0, 1), labels one-hot at the teacher's argmax. */
    private static List<DataSet> teacherLabelled(MultiLayerNetwork teacher, int batches, int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, size, 8);
            INDArray argmax = teacher.output(x).argMax(1);
            INDArray y = Nd4j.zeros(DataType.FLOAT, size, 4);
            for (int i = 0; i < size; i++) {
                y.putScalar(i, argmax.getInt(i), 1.0);
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /** @return mean over rows of KL(p || q) = sum p (ln p - ln q) */
    private static double meanKl(INDArray p, INDArray q) {
        INDArray lp = Transforms.log(p.castTo(DataType.DOUBLE), true);
        INDArray lq = Transforms.log(q.castTo(DataType.DOUBLE), true);
        return p.castTo(DataType.DOUBLE).mul(lp.sub(lq)).sum(1).meanNumber().doubleValue();
    }

    private static MultiLayerNetwork mseNet() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }
}
