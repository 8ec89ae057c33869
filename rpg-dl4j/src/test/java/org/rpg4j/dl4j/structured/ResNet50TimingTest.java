package org.rpg4j.dl4j.structured;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Sgd;
import org.rpg4j.dl4j.graph.ChannelDependencies;
import org.rpg4j.dl4j.shrink.NetworkShrinker;
import org.rpg4j.structured.ChannelSelection;
import org.rpg4j.structured.FilterNorm;
import org.rpg4j.structured.KeepSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analysis plus shrinking of the zoo's ResNet50 (224x224 configuration, 25.6 M parameters) at 50 %
 * channels: the goal is under 2 s. Wall time depends on the machine's load, so this test
 * asserts loosely on the CPU time of the process (all threads, best of three runs, below 6 s; about
 * 2 s measured) and logs wall and CPU time of each phase with the load.
 */
class ResNet50TimingTest {
    private static final Logger LOG = LoggerFactory.getLogger(ResNet50TimingTest.class);
    private static final double CPU_LIMIT_SECONDS = 6;

    @Test
    void analysisAndShrinkingOfResNet50AreFast() {
        Model net = ResNet50.builder().numClasses(1000).updater(new Sgd(1e-3)).build().init();
        double best = Double.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            ChannelDependencies deps = ChannelDependencies.analyse(net);
            long t1 = System.nanoTime();
            KeepSelection keep = ChannelSelection.perGroup(deps.groups(), new FilterNorm(),
                    StructuredPruning.tensors(deps.graph()), 0.5);
            long t2 = System.nanoTime();
            Model shrunk = NetworkShrinker.shrink(deps, keep).network();
            long t3 = System.nanoTime();
            double total = (t3 - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            LOG.info("ResNet50: analysis {} s, L1 scores + selection {} s, shrink {} s, total {} s wall, {} s CPU of "
                    + "this process (all threads); params {} -> {}; load {}", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    (t3 - t2) / 1e9, total, cpu, net.numParams(), shrunk.numParams(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            best = Math.min(best, cpu);
        }
        assertTrue(best < CPU_LIMIT_SECONDS, "analysis + shrinking took " + best + " s of CPU");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
