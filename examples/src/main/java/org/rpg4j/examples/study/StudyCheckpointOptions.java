package org.rpg4j.examples.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rpg4j.examples.checkpoint.CheckpointPolicy;
import picocli.CommandLine.Option;

/**
 * The study's checkpoint options (a picocli mixin of {@code Study}), passed to every run: a run
 * interrupted mid-way continues from its newest valid checkpoint when the study is started again.
 */
public final class StudyCheckpointOptions {
    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "each run writes a checkpoint every N iterations (0 = not by count; default: "
                    + "${DEFAULT-VALUE})")
    int everyIterations = 0;

    @Option(names = "--checkpoint-minutes", paramLabel = "M",
            description = "each run writes a checkpoint when M minutes have passed since its last one (0 = not by "
                    + "time; default: ${DEFAULT-VALUE})")
    double everyMinutes = 10;

    @Option(names = "--keep-checkpoints", paramLabel = "K",
            description = "checkpoints kept per run (default: ${DEFAULT-VALUE})")
    int keep = 1;

    /**
     * @return the example options that ask for this policy
     * @throws IllegalArgumentException naming the invalid option
     */
    public List<String> arguments() {
        CheckpointPolicy policy = new CheckpointPolicy(everyIterations, everyMinutes, keep);
        List<String> args = new ArrayList<>();
        args.addAll(List.of("--checkpoint-every", Integer.toString(policy.everyIterations())));
        args.addAll(List.of("--checkpoint-minutes", String.format(Locale.ROOT, "%s", policy.everyMinutes())));
        args.addAll(List.of("--keep-checkpoints", Integer.toString(policy.keep())));
        return args;
    }
}
