package org.rpg4j.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import org.rpg4j.examples.cli.Options;
import picocli.CommandLine;

/**
 * Entry point of the examples ({@code mvn -pl examples -am compile exec:java}; {@code --help} lists
 * every option). Without arguments it runs {@link #DEFAULT_JOB}, a run of a few minutes on two
 * cores, and says so.
 */
public final class TrainAndPrune {
    /**
     * The default job: the small CNN on Fashion-MNIST (synthetic data when it is not installed),
     * 6,000 training images for 4 epochs (184 iterations), pruned with RPG to 90 % sparsity with a
     * topology update every 10 iterations (16 updates, the target reached at the 16th; each skips its
     * iteration's optimizer step: 16 of 184, under the 10 % at which rpg4j warns), tested on 2,000
     * images after each epoch.
     */
    public static final List<String> DEFAULT_JOB = List.of("--model", "small-cnn", "--dataset", "fashion-mnist",
            "--method", "rpg", "--sparsity", "0.9", "--epochs", "4", "--subset", "6000", "--test-subset", "2000",
            "--batch-size", "128", "--lr", "0.05", "--warmup-epochs", "0.2", "--delta-t", "10", "--progress-every",
            "10");

    private TrainAndPrune() {}

    /**
     * @param args command-line arguments; none runs the default job
     */
    public static void main(String[] args) {
        List<String> arguments = args.length == 0 ? DEFAULT_JOB : Arrays.asList(args);
        if (args.length == 0) {
            System.out.println("No arguments: running the default job, the same as");
            System.out.println("  " + String.join(" ", DEFAULT_JOB));
            System.out.println("(--help lists every option)");
        }
        int code = execute(arguments.toArray(new String[0]));
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Parses the arguments and runs, printing to standard output and errors to standard error.
     *
     * @param args command-line arguments
     * @return 0 on success, 2 for invalid options, 1 for other failures
     */
    public static int execute(String... args) {
        return execute(System.out, System.err, args);
    }

    /**
     * Parses the arguments and runs. An invalid option prints one line {@code error: <message>},
     * naming the option as typed and what would fix it, then (for a parse error) the usage.
     *
     * @param out where progress, help and results go
     * @param err where errors go
     * @param args command-line arguments
     * @return 0 on success, 2 for invalid options, 1 for other failures
     */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        Options options = new Options();
        CommandLine cli = new CommandLine(options);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
        } catch (CommandLine.ParameterException e) {
            err.println("error: " + e.getMessage());
            cli.usage(err);
            return 2;
        }
        try {
            new ExampleRun(options, Arrays.asList(args), out::println).run();
            return 0;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalStateException | java.io.IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("error: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
