package org.rpg4j.benchmarks.pytorch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code cifar_speed.py} process: started in {@code --serve} mode it warms up and then trains on
 * request, so that the PyTorch side keeps its warm-up between the blocks of an interleaved
 * comparison and does nothing (blocked on its standard input) while the JVM trains. In
 * {@code --profile} mode it prints its per-op-kind table and exits.
 */
final class PyTorchWorker implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    private PyTorchWorker(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            // a oneDNN instruction-set limit set for the JVM (benchmarks/run.sh on an AVX-512 CPU) is not
            // PyTorch's best setting: its own oneDNN trains faster with AVX-512 (docs/performance.md)
            builder.environment().keySet().removeAll(List.of("DNNL_MAX_CPU_ISA", "ONEDNN_MAX_CPU_ISA"));
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Starts a serving process and waits until it has warmed up.
     *
     * @param python the interpreter, e.g. {@code /usr/bin/python3}
     * @param script path of {@code cifar_speed.py}
     * @param model its model name ({@code resnet20}, {@code resnet32x2}, {@code vgg19})
     * @param warmup training steps before it reports ready, &ge; 0
     * @return the ready worker
     * @throws IllegalStateException if the process ends or prints something else than {@code ready}
     */
    static PyTorchWorker serve(String python, String script, String model, int warmup) {
        PyTorchWorker worker = new PyTorchWorker(command(python, script, model, "--serve", "--warmup",
                String.valueOf(warmup)));
        String line = worker.readLine();
        if (!"ready".equals(line)) {
            worker.close();
            throw new IllegalStateException("PyTorch worker for " + model + " did not start: " + line);
        }
        return worker;
    }

    /**
     * Runs {@code cifar_speed.py --profile} to its end.
     *
     * @param python the interpreter
     * @param script path of {@code cifar_speed.py}
     * @param model its model name
     * @param warmup training steps before the profiled ones
     * @param steps profiled steps, &ge; 1
     * @return its output lines ({@code kind TAB forward-ms TAB backward-ms})
     */
    static List<String> profile(String python, String script, String model, int warmup, int steps) {
        try (PyTorchWorker worker = new PyTorchWorker(command(python, script, model, "--profile",
                String.valueOf(steps), "--warmup", String.valueOf(warmup)))) {
            List<String> lines = new ArrayList<>();
            for (String line = worker.readLine(); line != null; line = worker.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }

    /**
     * @param steps training steps to time, &ge; 1
     * @return their wall time in seconds, measured inside the Python process
     * @throws IllegalStateException if the process answers anything but {@code seconds S}
     */
    double run(int steps) {
        try {
            in.write("run " + steps + "\n");
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("PyTorch worker is gone", e);
        }
        String line = readLine();
        if (line == null || !line.startsWith("seconds ")) {
            throw new IllegalStateException("PyTorch worker answered " + line + " to 'run " + steps + "'");
        }
        return Double.parseDouble(line.substring("seconds ".length()));
    }

    /** Asks the process to quit and waits for it (killing it after 30 s). */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                in.write("quit\n");
                in.flush();
            }
        } catch (IOException e) {
            // the process has already closed its input: it is ending anyway
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String readLine() {
        try {
            return out.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from the PyTorch worker", e);
        }
    }

    private static List<String> command(String python, String script, String model, String... extra) {
        List<String> command = new ArrayList<>(List.of(python, script, "--model", model, "--threads", "2",
                "--batch", "128"));
        command.addAll(List.of(extra));
        return command;
    }
}
