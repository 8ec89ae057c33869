package org.rpg4j.examples.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.rpg4j.sparse.format.ValuePrecision;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Options of the sparse model export (rpg4j's deployment file, {@code org.rpg4j.dl4j.deploy.format}):
 * a picocli mixin of {@link Options}. Without {@code --export-sparse} nothing is exported.
 */
public final class SparseExportOptions {
    /** The file name used when {@code --export-sparse} is given without one. */
    public static final String DEFAULT_FILE = "model-sparse.zip";

    /** The sparse file, relative to the output directory; null when no export was asked for. */
    @Option(names = "--export-sparse", arity = "0..1", paramLabel = "FILE", fallbackValue = DEFAULT_FILE,
            description = "also write the trained network as rpg4j's sparse model file (for deployment: no updater "
                    + "or pruning state), FILE relative to the output directory (default name: " + DEFAULT_FILE
                    + "); results.json then reports its size beside model.zip's")
    public Path file;

    /** Precision of the sparse file's stored values. */
    @Option(names = "--export-precision", paramLabel = "float32|float16", converter = PrecisionConverter.class,
            description = "precision of the stored non-zero weights in the sparse file; float16 halves them at a small "
                    + "accuracy cost (default: float32, exact)")
    public ValuePrecision precision = ValuePrecision.FLOAT32;

    /** @return whether an export was asked for */
    public boolean enabled() {
        return file != null;
    }

    /** Reads {@code float32} or {@code float16} (any case); picocli names the option in its error. */
    public static final class PrecisionConverter implements CommandLine.ITypeConverter<ValuePrecision> {
        @Override
        public ValuePrecision convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "float32" -> ValuePrecision.FLOAT32;
                case "float16" -> ValuePrecision.FLOAT16;
                default -> throw new CommandLine.TypeConversionException("expected float32 or float16, got '" + value
                        + "'");
            };
        }
    }

    /**
     * @param outputDirectory the run's output directory
     * @return where the sparse file goes: {@code FILE} resolved against the output directory
     * @throws IllegalStateException if no export was asked for
     */
    public Path target(Path outputDirectory) {
        if (file == null) {
            throw new IllegalStateException("no --export-sparse given");
        }
        return outputDirectory.resolve(file);
    }
}
