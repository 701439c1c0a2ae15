package org.nnjava.benchmarks.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code ./nn bench} ran on, read at run time, never assumed: the CPU model and family from
 * {@code /proc/cpuinfo}, its vector extensions, what HotSpot's JIT uses of them, and the kernel ND4J's
 * OpenBLAS chose. The same machine name can be AVX-512 one day and AVX2 the next.
 */
final class Machine {

    /** The flags reported, in this order, when the CPU has them. */
    private static final List<String> VECTOR_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512cd",
            "avx512bw", "avx512dq", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile");

    private Machine() {
    }

    /** {@code AMD EPYC (family 25, model 1), 2 cores; avx avx2 fma}, or what of it this OS tells. */
    static String cpu() {
        String model = "unknown CPU";
        String family = null;
        String number = null;
        Set<String> flags = Set.of();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
                String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).trim() : "";
                if (line.startsWith("model name") && model.equals("unknown CPU")) {
                    model = value;
                } else if (line.startsWith("cpu family") && family == null) {
                    family = value;
                } else if (line.startsWith("model\t") && number == null) {
                    number = value;
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = Set.of(value.split("\\s+"));
                }
            }
        } catch (IOException | RuntimeException e) {
            model = System.getProperty("os.arch") + " (no /proc/cpuinfo)";
        }
        Set<String> has = flags;
        String vector = VECTOR_FLAGS.stream().filter(has::contains).collect(Collectors.joining(" "));
        return String.format(Locale.ROOT, "%s%s, %d cores; vector extensions: %s", model,
                family == null ? "" : " (family " + family + ", model " + number + ")",
                Runtime.getRuntime().availableProcessors(), vector.isEmpty() ? "none reported" : vector);
    }

    /** Whether the CPU reports every AVX-512 subset OpenBLAS's SKYLAKEX kernels need. */
    static boolean avx512() {
        return cpu().matches(".*avx512f.*avx512cd.*avx512bw.*avx512dq.*avx512vl.*");
    }

    /** HotSpot's {@code UseAVX} and {@code MaxVectorSize}: the vectors C2 compiles the EJML GEMM to. */
    static String jit() {
        List<String> options = new ArrayList<>();
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            for (String name : List.of("UseAVX", "MaxVectorSize", "UseFMA")) {
                try {
                    options.add(name + "=" + hotspot.getVMOption(name).getValue());
                } catch (IllegalArgumentException e) {
                    // not an option of this JVM or this processor family
                }
            }
        } catch (RuntimeException e) {
            return "no HotSpot diagnostics";
        }
        return String.join(" ", options);
    }

    /**
     * The kernels ND4J's bundled OpenBLAS runs: the core {@code OPENBLAS_CORETYPE} forces, else its own
     * detection (its JavaCPP binding has no {@code openblas_get_corename} to ask it which).
     */
    static String nd4jOpenBlasCore() {
        String forced = System.getenv("OPENBLAS_CORETYPE");
        return forced != null && !forced.isBlank() ? forced + " (OPENBLAS_CORETYPE)"
                : "its own CPU detection (AVX2 kernels on AMD Zen; OPENBLAS_CORETYPE unset)";
    }
}
