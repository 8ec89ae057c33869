package org.rpg4j.dl4j.deploy.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.kernel.KernelThreading;

/**
 * {@link ImageSplitRunner}: a shrunk residual network (dense weights, 1-5 channels, a strided block with a projection)
 * at batches that split into blocks of every kind (a shorter last block, fewer blocks than threads, one image per
 * block), every call within 1e-4 of DL4J and the images in their order.
 */
class ImageSplitRunnerTest {

    private static final double TOLERANCE = 1e-4;

    @Test
    void everyBatchSplitMatchesDl4jInImageOrder() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 7);
        int[][] splits = {{2, 4}, {2, 1}, {3, 5}, {1, 3}};
        int[] batches = {1, 3, 4, 5, 11, 13};
        for (int[] split : splits) {
            ImageSplitRunner runner = ImageSplitRunner.compile(graph, RunnerOptions.defaults(), split[0], split[1]);
            assertEquals(split[0], runner.threads());
            assertEquals(split[1], runner.blockImages());
            for (int batch : batches) {
                Nd4j.getRandom().setSeed(batch);
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 2, 9, 7);
                INDArray expected = graph.outputSingle(x);
                double spread = expected.maxNumber().doubleValue() - expected.minNumber().doubleValue();
                assertTrue(spread > 0.01, "output too uniform for a meaningful comparison: spread " + spread);
                // several calls: through each runner's calibration of this block size and its first rechecks
                for (int call = 0; call < 12; call++) {
                    INDArray actual = runner.output(x)[0];
                    assertArrayEquals(expected.shape(), actual.shape());
                    double difference = PrunedNetworks.maxAbsDifference(actual, expected);
                    assertTrue(difference < TOLERANCE, "threads " + split[0] + " block " + split[1] + " batch "
                            + batch + " call " + call + ": " + difference);
                }
            }
            assertTrue(runner.report().size() > 0);
        }
    }

    @Test
    void aSmallBatchIsOneCallOfTheFirstRunner() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 7);
        ImageSplitRunner runner = ImageSplitRunner.compile(graph, RunnerOptions.defaults(), 2, 4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 9, 7);
        runner.output(x);
        // one batch size seen: 4 (no block of another size was run)
        assertTrue(runner.report().stream().filter(c -> c.operation().startsWith("conv")).allMatch(c -> c
                .batch() == 4), runner.report().toString());
    }

    @Test
    void aFailedSplitCallLeavesTheRunnersUsable() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 7);
        ImageSplitRunner runner = ImageSplitRunner.compile(graph, RunnerOptions.defaults(), 2, 2);
        // three channels where the network takes two: every block's runner call fails
        INDArray wrong = Nd4j.rand(DataType.FLOAT, 6, 3, 9, 7);
        assertThrows(RuntimeException.class, () -> runner.output(wrong));
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 2, 9, 7);
        INDArray expected = graph.outputSingle(x);
        for (int call = 0; call < 8; call++) {
            double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
            assertTrue(difference < TOLERANCE, "call " + call + " after the failed one: " + difference);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 7);
        RunnerOptions options = RunnerOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> ImageSplitRunner.compile(null, options, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> ImageSplitRunner.compile(graph, null, 2, 4));
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> ImageSplitRunner.compile(graph, options, 0, 4));
        assertTrue(threads.getMessage().contains("threads"), threads.getMessage());
        IllegalArgumentException block = assertThrows(IllegalArgumentException.class,
                () -> ImageSplitRunner.compile(graph, options, 2, 0));
        assertTrue(block.getMessage().contains("blockImages"), block.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class, () -> ImageSplitRunner.compile(
                graph, options.withThreading(KernelThreading.COMMON_POOL), 2, 4));
        assertTrue(pool.getMessage().contains("COMMON_POOL"), pool.getMessage());
        ImageSplitRunner runner = ImageSplitRunner.compile(graph, options, 2, 2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 2, 9, 7);
        assertThrows(IllegalArgumentException.class, () -> runner.output(x, x));
        assertThrows(IllegalArgumentException.class, () -> runner.output((INDArray) null));
    }

    @Test
    void calibrateChoosesAMeasuredBlockSizePerBatchSize() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 7);
        ImageSplitRunner runner = ImageSplitRunner.compile(graph, RunnerOptions.defaults(), 2);
        assertEquals(ImageSplitRunner.DEFAULT_BLOCK, runner.blockImages());
        Nd4j.getRandom().setSeed(13);
        INDArray x = Nd4j.rand(DataType.FLOAT, 13, 2, 9, 7);
        INDArray expected = graph.outputSingle(x);
        int block = runner.calibrate(x);
        // 13 images on 2 threads: blocks of 2 or 4 give each thread a block, 8 and 16 do not
        assertTrue(Set.of(2, 4).contains(block), "block " + block);
        assertEquals(block, runner.blockImages(13));
        assertEquals(ImageSplitRunner.DEFAULT_BLOCK, runner.blockImages(12), "a batch size not calibrated");
        // every candidate and its last block (13 = 6 x 2 + 1 = 3 x 4 + 1) settled, on both runners
        for (int images : List.of(1, 2, 4)) {
            assertTrue(runner.report().stream().anyMatch(c -> c.batch() == images), "batch " + images + " in "
                    + runner.report());
        }
        for (int call = 0; call < 6; call++) {
            long timedBefore = TimingWork.count();
            double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
            assertTrue(difference < TOLERANCE, "call " + call + ": " + difference);
            assertEquals(timedBefore, TimingWork.count(), "the caller's runner timed kernels after calibrate");
        }
    }

    @Test
    void calibrateKeepsACompileTimeBlockSize() {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 7);
        ImageSplitRunner runner = ImageSplitRunner.compile(graph, RunnerOptions.defaults(), 2, 3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 2, 9, 7);
        assertEquals(3, runner.calibrate(x));
        assertEquals(3, runner.blockImages(10));
        // only the block sizes of 10 = 3 x 3 + 1 were settled
        assertTrue(runner.report().stream().filter(c -> c.operation().startsWith("conv")).allMatch(c -> c
                .batch() == 3 || c.batch() == 1), runner.report().toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> runner.calibrate(x, x));
        assertTrue(bad.getMessage().contains("sampleInputs"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> runner.calibrate((INDArray) null));
    }

    @Test
    void candidateBlockSizesGiveEachThreadABlock() {
        assertEquals(List.of(2, 4, 8, 16), SplitCalibration.candidates(0, 64, 2));
        assertEquals(List.of(2, 4), SplitCalibration.candidates(0, 13, 2));
        assertEquals(List.of(2), SplitCalibration.candidates(0, 3, 2), "at least the smallest");
        assertEquals(List.of(5), SplitCalibration.candidates(5, 64, 2), "a compile-time block size");
        assertEquals(List.of(1, 4), List.copyOf(SplitCalibration.blockSizes(13, 4)));
        assertEquals(List.of(4), List.copyOf(SplitCalibration.blockSizes(4, 8)));
    }

    @Test
    void aPoolThreadThatHasNotStartedIsNotWaitedFor() throws InterruptedException {
        ComputationGraph graph = PrunedNetworks.prune(PrunedNetworks.smallResidual(), 0.0, 7);
        ImageSplitRunner runner = ImageSplitRunner.compile(graph, RunnerOptions.defaults(), 2, 2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 12, 2, 9, 7);
        INDArray expected = graph.outputSingle(x);
        // every worker of the common pool busy: the second runner's task cannot start until they are released
        int workers = Math.max(1, ForkJoinPool.getCommonPoolParallelism());
        CountDownLatch busy = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        for (int w = 0; w < workers; w++) {
            ForkJoinPool.commonPool().execute(() -> {
                busy.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertTrue(busy.await(30, TimeUnit.SECONDS), "the pool's workers did not start");
            // the caller runs every block itself and returns without waiting for the task that never started
            INDArray actual = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> runner.output(x)[0]);
            double difference = PrunedNetworks.maxAbsDifference(actual, expected);
            assertTrue(difference < TOLERANCE, "with the pool busy: " + difference);
        } finally {
            release.countDown();
        }
        for (int call = 0; call < 4; call++) {
            double difference = PrunedNetworks.maxAbsDifference(runner.output(x)[0], expected);
            assertTrue(difference < TOLERANCE, "call " + call + " with the pool free again: " + difference);
        }
    }
}
