package org.rpg4j.examples.structured;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.rpg4j.dl4j.structured.StructuredReport;

/**
 * Size and measured inference speed of a run's network before and after it was shrunk (structured
 * methods: channels removed; unstructured ones: the channels they emptied removed, outputs unchanged;
 * dense training: nothing removed). Parameters and multiply-adds per image as
 * {@link StructuredReport} counts them (batch-norm statistics included in the parameters).
 *
 * @param how what was removed, e.g. {@code dead channels} or {@code l1-filter at channel sparsity 0.5}
 * @param paramsBefore parameters before
 * @param paramsAfter parameters after
 * @param macsBefore multiply-adds per image before
 * @param macsAfter multiply-adds per image after
 * @param imagesPerSecondBefore inference images/s before, at batch 1 and at batch 64
 * @param imagesPerSecondAfter inference images/s after, at batch 1 and at batch 64
 * @param loadAverage the one-minute load average when measured, or -1 if unknown
 */
public record Compaction(String how, long paramsBefore, long paramsAfter, long macsBefore, long macsAfter,
                         Speed imagesPerSecondBefore, Speed imagesPerSecondAfter, double loadAverage) {
    /**
     * Inference images/s at two batch sizes.
     *
     * @param batch1 images/s at batch 1
     * @param batch64 images/s at batch 64
     */
    public record Speed(double batch1, double batch64) {
        /**
         * @param net the network (not modified)
         * @param inputShape {@code [channels, height, width]}
         * @return its measured speed
         */
        public static Speed of(ComputationGraph net, int[] inputShape) {
            return new Speed(InferenceSpeed.imagesPerSecond(net, inputShape, 1, InferenceSpeed.PASSES_BATCH_1),
                    InferenceSpeed.imagesPerSecond(net, inputShape, 64, InferenceSpeed.PASSES_BATCH_64));
        }
    }

    /**
     * Measures both networks, the smaller one first and then the original, alternately twice, keeping
     * each one's better pass (so that neither gets all the warm-up of the process).
     *
     * @param how what was removed
     * @param report the shrink report (parameters and MACs)
     * @param before the network before (not modified)
     * @param after the network after (not modified; may be {@code before})
     * @param inputShape {@code [channels, height, width]}
     * @return the measurements
     */
    public static Compaction measure(String how, StructuredReport report, ComputationGraph before,
                                     ComputationGraph after, int[] inputShape) {
        Speed after1 = Speed.of(after, inputShape);
        Speed before1 = Speed.of(before, inputShape);
        Speed after2 = Speed.of(after, inputShape);
        Speed before2 = Speed.of(before, inputShape);
        return new Compaction(how, report.paramsBefore(), report.paramsAfter(), report.macsBefore(),
                report.macsAfter(), best(before1, before2), best(after1, after2), load());
    }

    private static Speed best(Speed x, Speed y) {
        return new Speed(Math.max(x.batch1(), y.batch1()), Math.max(x.batch64(), y.batch64()));
    }

    private static double load() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? -1 : load;
    }

    /** @return parameters after divided by before */
    public double paramsRatio() {
        return (double) paramsAfter / paramsBefore;
    }

    /** @return multiply-adds after divided by before */
    public double macsRatio() {
        return (double) macsAfter / Math.max(1, macsBefore);
    }
}
