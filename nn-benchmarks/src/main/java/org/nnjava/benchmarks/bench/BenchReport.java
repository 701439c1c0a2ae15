package org.nnjava.benchmarks.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.nnjava.tensor.DType;

/**
 * The parent's view of {@code ./nn bench}: the workers' results pooled, each implementation at its
 * faster thread setting (named), ratios taken run by run against the references measured in the same
 * process in the same round, and the median and range of everything over all runs of all processes.
 * No run and no process is selected: every one counts.
 */
final class BenchReport {

    /** One implementation at one thread setting in one worker. */
    private record Entry(int worker, String setting, String threads, double[] ms, double alloc, Double lossVsLean,
            int compared, String dtypes, String describe, double lastLoss, double[] inferMs, int correct) {
    }

    /** One row of the inference table ({@code --net simple-convnet}): an implementation at its faster setting. */
    record InferRow(String label, String dtype, String threads, double median, double min, double max, double[] ratioBook,
            int correct) {
    }

    /** One printed and written row: an implementation at its best setting. */
    record Row(String kind, String name, String dtype, String threads, double median, double min, double max,
            double alloc, double[] ratioLean, double[] ratioBook, String settings, String lossCheck, boolean lossOk,
            double lossMax, double floorMs, String absent, String describe) {
    }

    private final BenchSettings s;
    private final List<Map<?, ?>> workers;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> floors = new LinkedHashMap<>();
    private final Map<String, double[]> floorValues = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<InferRow> inference = new ArrayList<>();

    BenchReport(BenchSettings s, List<Map<?, ?>> workers) {
        this.s = s;
        this.workers = workers;
        for (DType dtype : s.dtypes()) {
            aggregate(dtype.label());
        }
    }

    List<Row> rows() {
        return rows;
    }

    /** The loss checks that failed, one line each; empty when all passed. */
    List<String> failures() {
        return failures;
    }

    private void aggregate(String dtype) {
        Map<String, Map<String, List<Entry>>> byKey = new LinkedHashMap<>();
        Map<String, String> absent = new LinkedHashMap<>();
        double peak = 0;
        String peakVia = "?";
        for (int w = 0; w < workers.size(); w++) {
            Map<?, ?> worker = workers.get(w);
            int javaThreads = ((Number) worker.get("java_threads")).intValue();
            for (Object o : (List<?>) worker.get("dtypes")) {
                Map<?, ?> d = (Map<?, ?>) o;
                if (!dtype.equals(d.get("dtype"))) {
                    continue;
                }
                for (Object p : (List<?>) d.get("peaks")) {
                    Map<?, ?> pk = (Map<?, ?>) p;
                    double g = ((Number) pk.get("gflops")).doubleValue();
                    if (g > peak) {
                        peak = g;
                        peakVia = (String) pk.get("via");
                    }
                }
                for (Object a : (List<?>) d.get("absent")) {
                    String line = (String) a;
                    absent.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 2));
                }
                for (Object c : (List<?>) d.get("contestants")) {
                    Map<?, ?> m = (Map<?, ?>) c;
                    String kind = (String) m.get("kind");
                    boolean python = kind.startsWith("numpy") || kind.equals("pytorch");
                    String setting = python ? (Boolean.TRUE.equals(m.get("one_thread")) ? "1" : "default") : "" + javaThreads;
                    double[] ms = ((List<?>) m.get("ms")).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
                    Entry e = new Entry(w, setting, (String) m.get("threads"), ms, number(m.get("alloc_bytes_per_iter")),
                            m.get("loss_vs_lean") instanceof Number n ? n.doubleValue() : null,
                            m.get("loss_steps_compared") instanceof Number n ? n.intValue() : 0, (String) m.get("computed_dtypes"),
                            (String) m.get("describe"), number(m.get("last_loss")),
                            m.get("infer_ms") instanceof List<?> inf ? inf.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray()
                                    : null, m.get("infer_correct") instanceof Number n ? n.intValue() : -1);
                    byKey.computeIfAbsent(kind + " " + m.get("name"), k -> new LinkedHashMap<>())
                            .computeIfAbsent(setting, k -> new ArrayList<>()).add(e);
                }
            }
        }
        double flops = convnet() ? StepFlops.convStep(s.batch())
                : StepFlops.step(BenchSettings.INPUT, s.hidden(), BenchSettings.CLASSES, s.batch());
        double bookFlops = convnet() ? StepFlops.convBookStep(s.batch())
                : StepFlops.bookStep(BenchSettings.INPUT, s.hidden(), BenchSettings.CLASSES, s.batch());
        double floorMs = peak > 0 ? flops / peak / 1e6 : Double.NaN;
        String work = convnet() ? "the library's step and the lean NumPy's; the book's adds %.2f, the first convolution's"
                + " dout.colW^T before its col2im" : "the library's step; the book's adds %.2f";
        floors.put(dtype, String.format(Locale.ROOT, "floor %.3f ms per step = %.2f MFLOP (" + work + ") / %.1f GFLOP/s, the"
                + " best large product measured (%s)", floorMs, flops / 1e6, (bookFlops - flops) / 1e6, peak, peakVia));
        floorValues.put(dtype, new double[] {floorMs, flops, peak});
        Map<String, String> best = new LinkedHashMap<>();
        byKey.forEach((key, settings) -> best.put(key, bestSetting(settings)));
        String leanKey = "numpy-lean numpy";
        String bookKey = "numpy-book numpy";
        byKey.forEach((key, settings) -> {
            List<Entry> entries = settings.get(best.get(key));
            double[] all = entries.stream().flatMapToDouble(e -> Arrays.stream(e.ms)).sorted().toArray();
            double[] lean = ratios(entries, byKey.get(leanKey), best.get(leanKey));
            double[] book = ratios(entries, byKey.get(bookKey), best.get(bookKey));
            String kind = key.substring(0, key.indexOf(' '));
            String name = key.substring(key.indexOf(' ') + 1);
            LossCheck check = lossCheck(kind, name, dtype, settings);
            String settingsLine = settings.entrySet().stream().map(e -> e.getValue().get(0).threads + ": "
                    + String.format(Locale.ROOT, "%.3f", median(e.getValue().stream().flatMapToDouble(x -> Arrays.stream(x.ms))
                            .sorted().toArray())) + " ms").collect(Collectors.joining(", "));
            double alloc = entries.stream().mapToDouble(e -> e.alloc).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
            rows.add(new Row(kind, name, dtype, entries.get(0).threads, median(all), all[0], all[all.length - 1], alloc,
                    check.ok ? lean : null, check.ok ? book : null, settingsLine, check.text, check.ok, check.max, floorMs,
                    null, entries.get(0).describe));
        });
        if (convnet()) {
            inferenceRows(dtype, byKey, bookKey);
        }
        absent.forEach((name, why) -> rows.add(new Row(name, name, dtype, "-", Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, null, null, "", "not run", true, Double.NaN, floorMs, why, "")));
    }

    private boolean convnet() {
        return s.net() == BenchSettings.Net.SIMPLE_CONVNET;
    }

    /** Each implementation's inference at its faster setting (by inference time), with run-by-run ratios to the book NumPy's. */
    private void inferenceRows(String dtype, Map<String, Map<String, List<Entry>>> byKey, String bookKey) {
        Map<String, List<Entry>> book = byKey.get(bookKey);
        String bookBest = book == null ? null : bestInference(book);
        byKey.forEach((key, settings) -> {
            String best = bestInference(settings);
            if (best == null) {
                return;
            }
            List<Entry> entries = settings.get(best);
            double[] all = entries.stream().flatMapToDouble(e -> Arrays.stream(e.inferMs)).sorted().toArray();
            List<Double> ratios = new ArrayList<>();
            if (bookBest != null) {
                for (Entry e : entries) {
                    for (Entry r : book.get(bookBest)) {
                        if (r.worker == e.worker) {
                            for (int i = 0; i < Math.min(e.inferMs.length, r.inferMs.length); i++) {
                                ratios.add(e.inferMs[i] / r.inferMs[i]);
                            }
                        }
                    }
                }
            }
            String kind = key.substring(0, key.indexOf(' '));
            String name = key.substring(key.indexOf(' ') + 1);
            String label = kind.equals("nnjava") ? "nnjava " + name : kind.equals("numpy-book") ? "numpy book-style"
                    : kind.equals("numpy-lean") ? "numpy lean" : kind;
            inference.add(new InferRow(label, dtype, entries.get(0).threads, median(all), all[0], all[all.length - 1],
                    ratios.isEmpty() ? null : ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray(),
                    entries.get(entries.size() - 1).correct));
        });
    }

    private static String bestInference(Map<String, List<Entry>> settings) {
        String best = null;
        double bestMedian = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, List<Entry>> e : settings.entrySet()) {
            if (e.getValue().stream().anyMatch(x -> x.inferMs == null)) {
                continue;
            }
            double m = median(e.getValue().stream().flatMapToDouble(x -> Arrays.stream(x.inferMs)).sorted().toArray());
            if (m < bestMedian) {
                bestMedian = m;
                best = e.getKey();
            }
        }
        return best;
    }

    private record LossCheck(boolean ok, String text, double max) {
    }

    /**
     * The library's rows and the NumPy ones must agree with the lean NumPy (every setting, every process,
     * and in the dtype asked for); the peers' differences are shown, not held to a tolerance: they compute
     * the loss their own way (DL4J clips probabilities).
     */
    private LossCheck lossCheck(String kind, String name, String dtype, Map<String, List<Entry>> settings) {
        if (kind.equals("numpy-lean") && settings.size() == 1) {
            return new LossCheck(true, "the reference", 0);
        }
        List<Entry> all = settings.values().stream().flatMap(List::stream).toList();
        for (Entry e : all) {
            if (!e.dtypes.isEmpty() && !e.dtypes.equals(dtype)) {
                String line = kind + " " + name + " " + dtype + ": computed in " + e.dtypes + ", not " + dtype;
                failures.add(line);
                return new LossCheck(false, "FAILED: computed in " + e.dtypes, Double.NaN);
            }
        }
        List<Entry> compared = all.stream().filter(e -> e.lossVsLean != null).toList();
        if (compared.isEmpty()) {
            return kind.equals("numpy-lean") ? new LossCheck(true, "the reference", 0)
                    : new LossCheck(false, "not checked (no lean NumPy)", Double.NaN);
        }
        double max = compared.stream().mapToDouble(e -> e.lossVsLean).max().orElse(Double.NaN);
        int steps = compared.stream().mapToInt(e -> e.compared).sum();
        boolean peer = kind.equals("dl4j") || kind.equals("pytorch");
        double tol = LossAgreement.tolerance(DType.parse(dtype), kind.equals("numpy-book"));
        String diff = String.format(Locale.ROOT, "%.1e over %d steps", max, steps);
        if (peer) {
            return new LossCheck(true, diff + " (shown, not checked)", max);
        }
        if (!(max <= tol) || compared.stream().anyMatch(e -> e.compared == 0)) {
            failures.add(String.format(Locale.ROOT, "%s %s %s: the losses differ from the %s NumPy's by %.3g relative"
                    + " (tolerance %.0e): the two sides did not compute the same step", kind, name, dtype, "lean", max,
                    tol));
            return new LossCheck(false, "FAILED: " + diff + " > " + String.format(Locale.ROOT, "%.0e", tol), max);
        }
        return new LossCheck(true, "passed: " + diff + String.format(Locale.ROOT, " <= %.0e", tol), max);
    }

    /** The setting with the lowest median over all its runs. */
    private static String bestSetting(Map<String, List<Entry>> settings) {
        String best = null;
        double bestMedian = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, List<Entry>> e : settings.entrySet()) {
            double m = median(e.getValue().stream().flatMapToDouble(x -> Arrays.stream(x.ms)).sorted().toArray());
            if (m < bestMedian) {
                bestMedian = m;
                best = e.getKey();
            }
        }
        return best;
    }

    /** Run-by-run ratios to the reference's best setting, measured in the same worker, sorted; null if none. */
    private static double[] ratios(List<Entry> entries, Map<String, List<Entry>> reference, String setting) {
        if (reference == null) {
            return null;
        }
        List<Double> ratios = new ArrayList<>();
        for (Entry e : entries) {
            for (Entry r : reference.get(setting)) {
                if (r.worker == e.worker) {
                    for (int i = 0; i < Math.min(e.ms.length, r.ms.length); i++) {
                        ratios.add(e.ms[i] / r.ms[i]);
                    }
                }
            }
        }
        return ratios.isEmpty() ? null : ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    // ---- printing ----------------------------------------------------------------------------------

    private static final String ROW = "%-18s %-14s %-26s %-20s %-20s %8s %11s  %s%n";

    void print(PrintWriter w) {
        for (DType dtype : s.dtypes()) {
            w.println();
            w.println(dtype.label() + ": " + floors.get(dtype.label()));
            w.printf(Locale.ROOT, ROW, "implementation", "threads", "ms/step median [range]", "vs lean NumPy", "vs book NumPy",
                    "x floor", "alloc/step", "loss vs lean NumPy");
            for (Row r : rows) {
                if (!r.dtype.equals(dtype.label())) {
                    continue;
                }
                if (r.absent != null) {
                    w.printf(Locale.ROOT, "%-18s absent: %s%n", r.kind, r.absent);
                    continue;
                }
                w.printf(Locale.ROOT, ROW, label(r), r.threads, String.format(Locale.ROOT, "%.3f [%.3f-%.3f]", r.median, r.min,
                        r.max), ratio(r.ratioLean, r.lossOk), ratio(r.ratioBook, r.lossOk), String.format(Locale.ROOT, "%.1f",
                        r.median / r.floorMs), bytes(r.alloc), r.lossCheck);
            }
        }
        if (convnet()) {
            w.println();
            w.printf(Locale.ROOT, "inference: the first %d samples in batches of %d (ms for all of them; each implementation"
                    + " at its faster setting for it):%n", s.testImages(), s.batch());
            w.printf(Locale.ROOT, "%-8s %-18s %-14s %-30s %-20s %s%n", "dtype", "implementation", "threads",
                    "ms median [range]", "vs book NumPy", "correct");
            for (InferRow r : inference) {
                w.printf(Locale.ROOT, "%-8s %-18s %-14s %-30s %-20s %d of %d%n", r.dtype, r.label, r.threads,
                        String.format(Locale.ROOT, "%.1f [%.1f-%.1f]", r.median, r.min, r.max), ratio(r.ratioBook, true),
                        r.correct, s.testImages());
            }
        }
        w.println();
        w.println("thread settings measured (median ms per step; each row above is the faster):");
        for (Row r : rows) {
            if (r.absent == null) {
                w.printf(Locale.ROOT, "  %-8s %-18s %s%n", r.dtype, label(r), r.settings);
            }
        }
        w.flush();
    }

    static String label(Row r) {
        return switch (r.kind) {
            case "nnjava" -> "nnjava " + r.name;
            case "numpy-lean" -> "numpy lean";
            case "numpy-book" -> "numpy book-style";
            default -> r.kind;
        };
    }

    private static String ratio(double[] sorted, boolean ok) {
        if (!ok) {
            return "none (loss check)";
        }
        return sorted == null ? "-" : String.format(Locale.ROOT, "%.2f [%.2f-%.2f]", median(sorted), sorted[0],
                sorted[sorted.length - 1]);
    }

    static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v < 1024 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.1f KiB", v / 1024);
    }

    /** The distinct engine descriptions, for the notes under the table. */
    List<String> engines() {
        return rows.stream().filter(r -> r.absent == null && !r.kind.equals("nnjava")).map(r -> r.describe).distinct().toList();
    }

    // ---- bench.json --------------------------------------------------------------------------------

    /**
     * The rows as bench.json: a list of flat objects, one line each. The fields of earlier versions come
     * first ({@code backend, dtype, hidden, batch, ms_per_iter_median, ms_per_iter_min, ms_per_iter_max,
     * alloc_bytes_per_iter, ratio_to_numpy}, the last now against the lean NumPy), then {@link #EXTRA}.
     */
    String toJson(String cpu) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double[] fv = floorValues.get(r.dtype);
            sb.append(i == 0 ? "\n" : ",\n").append("  {\"backend\": ").append(BenchJson.string(r.name))
                    .append(", \"dtype\": ").append(BenchJson.string(r.dtype))
                    .append(", \"hidden\": ").append(s.hidden()).append(", \"batch\": ").append(s.batch())
                    .append(", \"ms_per_iter_median\": ").append(BenchJson.number(r.median))
                    .append(", \"ms_per_iter_min\": ").append(BenchJson.number(r.min))
                    .append(", \"ms_per_iter_max\": ").append(BenchJson.number(r.max))
                    .append(", \"alloc_bytes_per_iter\": ").append(BenchJson.number(Math.rint(r.alloc)))
                    .append(", \"ratio_to_numpy\": ").append(r.ratioLean == null ? "null" : BenchJson.number(median(r.ratioLean)))
                    .append(", \"kind\": ").append(BenchJson.string(r.kind))
                    .append(", \"reference\": \"numpy-lean\"")
                    .append(", \"ratio_to_numpy_min\": ").append(r.ratioLean == null ? "null" : BenchJson.number(r.ratioLean[0]))
                    .append(", \"ratio_to_numpy_max\": ").append(r.ratioLean == null ? "null"
                            : BenchJson.number(r.ratioLean[r.ratioLean.length - 1]))
                    .append(", \"ratio_to_numpy_book\": ").append(r.ratioBook == null ? "null" : BenchJson.number(median(r.ratioBook)))
                    .append(", \"threads\": ").append(BenchJson.string(r.threads))
                    .append(", \"thread_settings\": ").append(BenchJson.string(r.settings))
                    .append(", \"loss_check\": ").append(BenchJson.string(r.lossCheck))
                    .append(", \"loss_max_rel_diff\": ").append(BenchJson.number(r.lossMax))
                    .append(", \"floor_ms\": ").append(BenchJson.number(fv[0]))
                    .append(", \"step_flop\": ").append(BenchJson.number(fv[1]))
                    .append(", \"peak_gflops\": ").append(BenchJson.number(fv[2]))
                    .append(", \"times_floor\": ").append(BenchJson.number(r.median / r.floorMs))
                    .append(", \"absent\": ").append(r.absent == null ? "null" : BenchJson.string(r.absent))
                    .append(", \"processes\": ").append(workers.size())
                    .append(", \"cpu\": ").append(BenchJson.string(cpu)).append('}');
        }
        return sb.append(rows.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    /** The fields bench.json adds to the earlier nine, in order. */
    static final List<String> EXTRA = List.of("kind", "reference", "ratio_to_numpy_min", "ratio_to_numpy_max",
            "ratio_to_numpy_book", "threads", "thread_settings", "loss_check", "loss_max_rel_diff", "floor_ms", "step_flop",
            "peak_gflops", "times_floor", "absent", "processes", "cpu");

    Optional<String> floor(String dtype) {
        return Optional.ofNullable(floors.get(dtype));
    }
}
