package org.rpg4j.examples.cli;

import java.nio.file.Path;
import org.rpg4j.examples.checkpoint.CheckpointPolicy;
import picocli.CommandLine.Option;

/**
 * The checkpoint options of the examples' command line (a picocli mixin of {@link Options}):
 * when checkpoints are written to {@code <output>/checkpoints/}, how many are kept, and the run to
 * resume. {@code docs/reliability.md} describes what a checkpoint holds and what resuming guarantees.
 */
public final class CheckpointOptions {
    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "write a checkpoint every N iterations (0 = not by count; default: ${DEFAULT-VALUE})")
    public int everyIterations = 0;

    @Option(names = "--checkpoint-minutes", paramLabel = "M",
            description = "write a checkpoint when M minutes have passed since the last one (0 = not by time; "
                    + "default: ${DEFAULT-VALUE})")
    public double everyMinutes = 30;

    @Option(names = "--keep-checkpoints", paramLabel = "K",
            description = "keep the newest K checkpoints (default: ${DEFAULT-VALUE})")
    public int keep = 2;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the run whose output directory (or its checkpoints/ subdirectory) is DIR from "
                    + "its newest valid checkpoint, bit-identically; give the run's other options unchanged; output "
                    + "goes to DIR unless --output says otherwise")
    public Path resume;

    /**
     * @return the checkpoint policy these options ask for
     * @throws IllegalArgumentException naming the invalid option
     */
    public CheckpointPolicy policy() {
        return new CheckpointPolicy(everyIterations, everyMinutes, keep);
    }
}
