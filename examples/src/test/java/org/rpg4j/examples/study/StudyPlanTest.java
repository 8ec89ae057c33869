package org.rpg4j.examples.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.cli.PruningOptions;
import org.rpg4j.examples.data.DatasetKind;
import org.rpg4j.examples.models.ModelKind;
import org.rpg4j.examples.train.Method;
import org.rpg4j.mask.LayerBudget;
import picocli.CommandLine;

class StudyPlanTest {
    private static final StudyRecipe CNN = new StudyRecipe(ModelKind.SMALL_CNN, 1000, 500, 2, 64, 0.05, 0.2, 4);
    private static final StudyRecipe RESNET = new StudyRecipe(ModelKind.RESNET20, 0, 0, 1, 128, 0.1, 0.0, 10);

    @Test
    void fullPlanHasThreeSeedsAtHighSparsityAndOneBelow() {
        List<StudyRun> runs = new StudyPlan(List.of(CNN, RESNET), List.of(0.9, 0.95, 0.98, 0.99), 3,
                DatasetKind.FASHION_MNIST, null).runs();
        // per model: 3 dense + 4 pruning methods x (1 + 1 + 3 + 3)
        assertEquals(2 * (3 + 4 * 8), runs.size());
        assertEquals(runs.size(), new HashSet<>(runs.stream().map(StudyRun::id).toList()).size(), "ids unique");
        for (Method m : List.of(Method.GMP, Method.RIGL, Method.RPG, Method.RPG_REG)) {
            assertEquals(3, count(runs, ModelKind.RESNET20, m, 0.99));
            assertEquals(3, count(runs, ModelKind.SMALL_CNN, m, 0.98));
            assertEquals(1, count(runs, ModelKind.SMALL_CNN, m, 0.95));
            assertEquals(1, count(runs, ModelKind.RESNET20, m, 0.9));
        }
        assertEquals(3, count(runs, ModelKind.SMALL_CNN, Method.DENSE, 0.0));
        assertEquals("small-cnn-dense-seed1", runs.get(0).id());
        assertEquals("small-cnn-rpg-reg-99-seed3", runs.stream().filter(r -> r.model() == ModelKind.SMALL_CNN)
                .reduce((a, b) -> b).orElseThrow().id());
    }

    @Test
    void runArgumentsCarryTheRecipeMethodSparsityAndSeed() {
        StudyRun run = new StudyPlan(List.of(CNN), List.of(0.995), 2, DatasetKind.SYNTHETIC, null).runs().stream()
                .filter(r -> r.id().equals("small-cnn-rpg-99.5-seed2")).findFirst().orElseThrow();
        String args = String.join(" ", run.arguments());
        assertTrue(args.contains("--model small-cnn --epochs 2 --batch-size 64 --lr 0.05 --warmup-epochs 0.2 "
                + "--delta-t 4 --subset 1000 --test-subset 500"), args);
        assertTrue(args.contains("--dataset synthetic --method rpg --seed 2 --results-only --sparsity 0.995"), args);
    }

    @Test
    void fromDenseStartsEachPruningRunFromItsSeedsDenseRun() {
        List<StudyRun> runs = new StudyPlan(List.of(CNN), List.of(0.99), 2, DatasetKind.SYNTHETIC, null,
                List.of(Method.DENSE, Method.RPG), lambda4(), true).runs();
        assertEquals(List.of("small-cnn-dense-seed1", "small-cnn-rpg-99-seed1", "small-cnn-dense-seed2",
                "small-cnn-rpg-99-seed2"), runs.stream().map(StudyRun::id).toList());
        assertEquals("small-cnn-dense-seed2", runs.get(3).startsFrom());
        assertEquals(null, runs.get(2).startsFrom());
        assertTrue(!runs.get(0).arguments().contains("--results-only"), "dense runs save their model");
        assertTrue(String.join(" ", runs.get(1).arguments()).endsWith("--sparsity 0.99 --lambda 4.0"),
                runs.get(1).arguments().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StudyPlan(List.of(CNN),
                List.of(0.99), 1, DatasetKind.SYNTHETIC, null, List.of(Method.RPG), new PruningOptions(), true));
        assertTrue(e.getMessage().contains("fromDense needs the dense method"), e.getMessage());
    }

    @Test
    void typedSpecsBecomeTheOptionsTheirCommandLineParsesTo() {
        PruningOptions pruning = new PruningOptions();
        new CommandLine(pruning).parseArgs("--budget", "erk", "--max-layer-sparsity", "conv1=0.9", "--update-placement",
                "reference", "--delta-t", "3");
        List<StudyRun> runs = new StudyPlan(List.of(CNN, RESNET), List.of(0.98), 1, null, Path.of("/data"),
                StudyPlan.METHODS, pruning, false).runs();
        assertEquals(10, runs.size());
        for (StudyRun run : runs) {
            Options typed = run.spec().toOptions(Path.of("/out"), null);
            Options parsed = new Options();
            List<String> args = new ArrayList<>(run.arguments());
            args.addAll(List.of("--output", "/out"));
            new CommandLine(parsed).parseArgs(args.toArray(new String[0]));
            assertEquals(parsed.asMap(), typed.asMap(), run.id());
            assertEquals(run.model().cliName().equals("resnet20") ? 10 : 4, typed.pruning.deltaT, "recipe's deltaT");
            assertEquals(run.method().prunes() ? LayerBudget.ERK : LayerBudget.GLOBAL, typed.pruning.budget,
                    "dense runs keep the defaults of options they do not use");
        }
        assertEquals(3, pruning.deltaT, "the plan's options are not modified");
        assertTrue(String.join(" ", runs.get(1).arguments()).endsWith("--sparsity 0.98 --update-placement reference "
                + "--budget erk --max-layer-sparsity conv1=0.9 --data-dir /data"), runs.get(1).arguments().toString());
    }

    @Test
    void rejectsBadPlans() {
        assertThrows(IllegalArgumentException.class,
                () -> new StudyPlan(List.of(), List.of(0.9), 1, DatasetKind.SYNTHETIC, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StudyPlan(List.of(CNN), List.of(0.9, 1.0), 1, DatasetKind.SYNTHETIC, null));
        assertTrue(e.getMessage().contains("sparsity must be in (0, 1), got 1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new StudyPlan(List.of(CNN), List.of(0.9), 0, DatasetKind.SYNTHETIC, null));
        assertTrue(e.getMessage().contains("seeds must be >= 1, got 0"), e.getMessage());
    }

    @Test
    void spreadIsTheSampleStandardDeviation() {
        Spread s = Spread.of(0.80, 0.82, 0.90);
        assertEquals(0.84, s.mean(), 1e-12);
        // deviations -0.04, -0.02, 0.06: squares 0.0016 + 0.0004 + 0.0036 = 0.0056, / 2 = 0.0028
        assertEquals(Math.sqrt(0.0028), s.std(), 1e-12);
        assertEquals(0.80, s.min());
        assertEquals(0.90, s.max());
        assertEquals("0.8400 ± 0.0529 (3)", s.format("%.4f"));
        assertEquals("0.5000", Spread.of(0.5).format("%.4f"));
        assertThrows(IllegalArgumentException.class, Spread::of);
    }

    private static PruningOptions lambda4() {
        PruningOptions options = new PruningOptions();
        options.lambda = 4.0;
        return options;
    }

    private static long count(List<StudyRun> runs, ModelKind model, Method method, double sparsity) {
        return runs.stream().filter(r -> r.model() == model && r.method() == method && r.sparsity() == sparsity)
                .count();
    }
}
