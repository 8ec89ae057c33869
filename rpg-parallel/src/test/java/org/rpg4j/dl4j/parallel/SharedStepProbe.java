package org.rpg4j.dl4j.parallel;

import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.solvers.accumulation.EncodedGradientsAccumulator;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.dl4j.ReplicaTensors;

/**
 * A test listener for shared-gradient mode, on every replica: after each step ({@code iterationDone},
 * on the replica's own thread) counts the pruned positions where the replica's weights, its updater
 * state or its worker's encoder residual are not exactly 0.0. Placed before rpg4j's listener it
 * sees what DL4J's shared update left (before rpg4j masks anything after the step); placed after it,
 * what every iteration ends with.
 */
final class SharedStepProbe extends BaseTrainingListener {
    private final ParallelRun run;
    private final SharedResiduals residuals;
    private final AtomicLong checks = new AtomicLong();
    private final AtomicLong residualChecks = new AtomicLong();
    private final AtomicLong weightLeaks = new AtomicLong();
    private final AtomicLong stateLeaks = new AtomicLong();
    private final AtomicLong residualLeaks = new AtomicLong();

    SharedStepProbe(ParallelRun run, ParallelWrapper wrapper) {
        this.run = run;
        this.residuals = SharedResiduals.of((EncodedGradientsAccumulator) wrapper.getGradientsAccumulator());
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        ReplicaTensors tensors = run.replicas().of(model).tensors();
        checks.incrementAndGet();
        weightLeaks.addAndGet(tensors.prunedNonZero().values().stream().mapToLong(Long::longValue).sum());
        stateLeaks.addAndGet(tensors.prunedNonZeroState());
        INDArray residual = residuals.current();
        if (residual != null) {
            residualChecks.incrementAndGet();
            residualLeaks.addAndGet(tensors.prunedNonZeroIn(residual));
        }
    }

    /** @return iterations checked, over all replicas */
    long checks() {
        return checks.get();
    }

    /** @return iterations whose worker had a residual to check */
    long residualChecks() {
        return residualChecks.get();
    }

    /** @return pruned weights seen non-zero, summed over checks */
    long weightLeaks() {
        return weightLeaks.get();
    }

    /** @return updater-state entries at pruned positions seen non-zero, summed over checks */
    long stateLeaks() {
        return stateLeaks.get();
    }

    /** @return residual entries at pruned positions seen non-zero, summed over checks */
    long residualLeaks() {
        return residualLeaks.get();
    }
}
