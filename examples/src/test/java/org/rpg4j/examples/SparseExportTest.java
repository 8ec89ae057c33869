package org.rpg4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.dl4j.deploy.format.SparseModels;
import org.rpg4j.examples.cli.Options;
import org.rpg4j.examples.results.RunRecord;
import picocli.CommandLine;

/** {@code --export-sparse}: the sparse file is written beside model.zip, loads, computes the same, and is reported. */
class SparseExportTest {
    @TempDir
    Path dir;

    private RunRecord run(Path output, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--dataset", "synthetic", "--model", "small-cnn", "--method", "gmp",
                "--subset", "64", "--test-subset", "32", "--batch-size", "16", "--max-iterations", "3", "--delta-t",
                "1", "--ramp-end", "1", "--update-end", "1", "--output", output.toString()));
        args.addAll(List.of(extra));
        Options options = new Options();
        new CommandLine(options).parseArgs(args.toArray(String[]::new));
        return new ExampleRun(options, args, line -> {}).run();
    }

    @Test
    void exportWritesALoadableSmallerFileAndReportsBothSizes() throws IOException {
        Path output = dir.resolve("run");
        RunRecord record = run(output, "--export-sparse");
        Path sparse = output.resolve("model-sparse.zip");
        assertNotNull(record.sparseExport());
        assertEquals(Files.size(sparse), record.sparseExport().sparseBytes());
        assertEquals(Files.size(output.resolve("model.zip")), record.sparseExport().modelZipBytes());
        assertTrue(record.sparseExport().sparseBytes() < record.sparseExport().modelZipBytes(),
                "90 % sparse: " + record.sparseExport());
        String json = Files.readString(output.resolve("results.json"));
        assertTrue(json.contains("\"sparseExport\"") && json.contains("\"modelZipBytes\""), json);

        ComputationGraph saved = ModelSerializer.restoreComputationGraph(output.resolve("model.zip").toFile(), false);
        ComputationGraph deployed = SparseModels.loadComputationGraph(sparse);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
        float[] a = saved.outputSingle(false, x).data().asFloat();
        float[] b = deployed.outputSingle(false, x).data().asFloat();
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "output " + i);
        }
    }

    @Test
    void namedFileAndFloat16AndABadPrecision() throws IOException {
        Path output = dir.resolve("half");
        RunRecord record = run(output, "--export-sparse", "deploy.zip", "--export-precision", "float16");
        assertTrue(Files.size(output.resolve("deploy.zip")) > 0);
        assertEquals("FLOAT16", record.sparseExport().precision());
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> run(dir.resolve("bad"), "--export-sparse", "--export-precision", "int8"));
        assertTrue(e.getMessage().contains("--export-precision") && e.getMessage().contains("int8"), e.getMessage());
    }
}
