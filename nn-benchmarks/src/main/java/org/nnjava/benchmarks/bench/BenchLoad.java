package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How busy the rest of the machine was while {@code nn bench} measured: the CPU time spent by all CPUs
 * ({@code /proc/stat}) less this JVM's own (and its reaped children's, {@code /proc/self/stat}) and the
 * running NumPy reference's ({@code /proc/PID/stat}), as a number of cores kept busy on average. A
 * multithreaded BLAS (NumPy's, ND4J's) slows down by far more than its share when another process
 * takes a core, so a reader should know which rows ran on a quiet machine. Linux only; elsewhere empty.
 */
final class BenchLoad {

    /** CPU ticks at one moment: all CPUs busy and in total, and this benchmark's own processes. */
    record Snapshot(long busy, long total, long own, int cpus) {
    }

    private BenchLoad() {
    }

    /** The counters now, counting {@code child} (a live subprocess, or -1) as the benchmark's own. */
    static Optional<Snapshot> now(long child) {
        try {
            List<String> stat = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII);
            String[] cpu = stat.get(0).trim().split("\\s+"); // cpu user nice system idle iowait irq softirq steal ...
            long total = 0;
            for (int i = 1; i <= Math.min(8, cpu.length - 1); i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + (cpu.length > 5 ? Long.parseLong(cpu[5]) : 0);
            int cpus = (int) stat.stream().filter(l -> l.matches("cpu\\d+\\s.*")).count();
            long own = processTicks(Path.of("/proc/self/stat"), true) + (child > 0
                    ? processTicks(Path.of("/proc/" + child + "/stat"), false) : 0);
            return Optional.of(new Snapshot(total - idle, total, own, Math.max(1, cpus)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The cores that other processes kept busy on average between two snapshots (0 on a quiet machine). */
    static OptionalDouble others(Optional<Snapshot> before, Optional<Snapshot> after) {
        if (before.isEmpty() || after.isEmpty() || after.get().total() <= before.get().total()) {
            return OptionalDouble.empty();
        }
        Snapshot a = before.get();
        Snapshot b = after.get();
        long others = (b.busy() - a.busy()) - (b.own() - a.own());
        return OptionalDouble.of(Math.max(0, others) * (double) b.cpus() / (b.total() - a.total()));
    }

    /** utime + stime (and, for this process, cutime + cstime of reaped children); 0 if the process is gone. */
    private static long processTicks(Path stat, boolean withChildren) {
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            // The command name, in parentheses, may contain spaces: fields are counted after the last ')'.
            String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
            return withChildren ? ticks + Long.parseLong(f[13]) + Long.parseLong(f[14]) : ticks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
