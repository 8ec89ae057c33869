package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.FusedActivation;

/**
 * The calibration's slice of a small-plane layer where the batched sparse kernel is a candidate
 * ({@link ConvolutionStep#BATCHED_PROBED_MACS}): large dense layers (VGG-19's 256- and 512-channel layers at batch 64)
 * are first timed on {@value ConvolutionStep#BATCHED_SLICE_IMAGES} images, smaller or sparser ones (below
 * {@value ConvolutionStep#BATCHED_PROBED_DENSITY} dense) in full as before.
 */
class BatchedProbeTest {

    private static final int CHANNELS = 256;

    @Test
    void aLargeDenseSmallPlaneLayerIsSlicedFromBatch32WhileItsCalibrationRuns() {
        ConvolutionStep step = step(1.0);
        // 256 x 256 x 9 non-zeros x 16 pixels x 32 images = 302 M multiply-adds
        assertTrue(589_824L * 16 * 32 >= ConvolutionStep.BATCHED_PROBED_MACS);
        int batch = 32;
        Tensor[] input = {Tensor.of(Nd4j.rand(DataType.FLOAT, batch, CHANNELS, 4, 4))};
        assertNull(step.sparseProbe(input), "no slice before the calibration");
        step.run(input);
        assertTrue(step.calibrating(batch));
        Calibration.Probe probe = step.sparseProbe(input);
        assertNotNull(probe, "a slice while it calibrates");
        assertEquals((double) ConvolutionStep.BATCHED_SLICE_IMAGES / batch, probe.fraction(), 1e-12);
        assertTrue(probe.description().contains(ConvolutionStep.BATCHED_SLICE_IMAGES + " of " + batch
                + " images, batched kernel"), probe.description());
        // the slice runs the batched kernel on its images (and hands its output back)
        probe.run().run();
        for (int call = 0; call < 2 * RunnerOptions.defaults().calibrationRuns() + 1 && step.calibrating(
                batch); call++) {
            step.run(input);
        }
        assertTrue(!step.calibrating(batch), "calibration done");
        assertNull(step.sparseProbe(input), "rechecks time the full run: a slice's scaled time predicted 2-4x too"
                + " little for the batched kernel (docs/structured.md session 12)");
        // at batch 16 the slice would be the whole batch
        Tensor[] sixteen = {Tensor.of(Nd4j.rand(DataType.FLOAT, 16, CHANNELS, 4, 4))};
        step.run(sixteen);
        assertTrue(step.calibrating(16));
        assertNull(step.sparseProbe(sixteen));
    }

    @Test
    void aSlicedLayerKeepsADenseChoiceWonByTheClearMarginWithoutRechecks() {
        ConvolutionStep step = step(1.0);
        Tensor[] input = {Tensor.of(Nd4j.rand(DataType.FLOAT, 32, CHANNELS, 4, 4))};
        assertNull(step.unrechecked(32, KernelKind.DENSE, 100.0, 10.0), "not sliced yet");
        step.run(input);
        assertNotNull(step.sparseProbe(input));
        String reason = step.unrechecked(32, KernelKind.DENSE, 100.0, 10.0);
        assertNotNull(reason);
        assertTrue(reason.contains("slower than 2.0 x DENSE"), reason);
        assertTrue(step.unrechecked(32, KernelKind.DENSE, Double.NaN, 10.0).contains("predicted above"));
        assertNull(step.unrechecked(32, KernelKind.DENSE, 15.0, 10.0), "within the margin: rechecked");
        assertNull(step.unrechecked(32, KernelKind.SPARSE, 10.0, 100.0), "a sparse choice is rechecked");
        assertNull(step.unrechecked(64, KernelKind.DENSE, 100.0, 10.0), "another batch size was not sliced");
    }

    @Test
    void smallerOrSparserSmallPlaneLayersAreTimedInFull() {
        // 10 % non-zeros: 30 M multiply-adds at batch 32, as an RPG-pruned layer
        ConvolutionStep sparse = step(0.1);
        Tensor[] fourByFour = {Tensor.of(Nd4j.rand(DataType.FLOAT, 32, CHANNELS, 4, 4))};
        sparse.run(fourByFour);
        assertTrue(sparse.calibrating(32));
        assertNull(sparse.sparseProbe(fourByFour));
        // dense at 2x2: 75 M at batch 32
        ConvolutionStep dense = step(1.0);
        Tensor[] twoByTwo = {Tensor.of(Nd4j.rand(DataType.FLOAT, 32, CHANNELS, 2, 2))};
        dense.run(twoByTwo);
        assertTrue(dense.calibrating(32));
        assertNull(dense.sparseProbe(twoByTwo));
        // half dense at 8x8: 604 M at batch 32, above the multiply-adds but below the density (RPG-pruned VGG-19's
        // conv2_x, where slices predicted the tiled kernel 2x too slow)
        ConvolutionStep half = step(0.5);
        Tensor[] eightByEight = {Tensor.of(Nd4j.rand(DataType.FLOAT, 32, CHANNELS, 8, 8))};
        assertTrue(294_912L * 64 * 32 >= ConvolutionStep.BATCHED_PROBED_MACS);
        half.run(eightByEight);
        assertTrue(half.calibrating(32));
        assertNull(half.sparseProbe(eightByEight), "below " + ConvolutionStep.BATCHED_PROBED_DENSITY + " dense");
    }

    @Test
    void onSuchALayerTheTwoSparseKernelsRaceOnSlicesAndTheFullRunMatchesTheDenseKernel() {
        float[] weights = weights(1.0);
        ConvolutionStep sparse = step(weights, RunnerOptions.defaults().withPolicy(KernelPolicy.SPARSE));
        ConvolutionStep dense = step(weights, RunnerOptions.defaults().withPolicy(KernelPolicy.DENSE));
        Tensor input = Tensor.of(Nd4j.rand(DataType.FLOAT, 32, CHANNELS, 4, 4));
        float[] expected = dense.run(new Tensor[] {input}).floats();
        // two sparse runs of the race's two timed pairs each decide it (BatchedCandidate.TIMED_RUNS)
        for (int call = 0; call < BatchedCandidate.TIMED_RUNS; call++) {
            assertNull(sparse.sparseKernel(32), "undecided before run " + call);
            float[] actual = sparse.run(new Tensor[] {input}).floats();
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-3 * (1 + Math.abs(expected[i])), "run " + call + " at " + i);
            }
        }
        assertNotNull(sparse.sparseKernel(32), "decided on the slices' times");
    }

    /** A 3x3 Same convolution of {@value #CHANNELS} channels with about {@code density} non-zero weights. */
    private static ConvolutionStep step(double density) {
        return step(weights(density), RunnerOptions.defaults());
    }

    private static ConvolutionStep step(float[] weights, RunnerOptions options) {
        ConvolutionSpec spec = new ConvolutionSpec(CHANNELS, CHANNELS, new int[] {3, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, true);
        return new ConvolutionStep("c", spec, weights, new float[CHANNELS], FusedActivation.RELU, "", options);
    }

    private static float[] weights(double density) {
        float[] weights = new float[CHANNELS * CHANNELS * 9];
        int period = (int) Math.round(1 / density);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = i % period == 0 ? 0.001f * (1 + i % 7) - 0.0035f : 0f;
        }
        return weights;
    }
}
