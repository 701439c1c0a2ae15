package consumer.modular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nnjava.data.TensorDataSet;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.junit.jupiter.api.Test;

/**
 * Runs inside the named module consumer.modular (Surefire patches the test classes into it), with
 * org.nnjava.api, org.nnjava.data and Jackson on the module path.
 */
class ForwardPassTest {

    /** What the matmul may differ by between the backend's blocked GEMM and the plain loop's order. */
    private static final double TOLERANCE = 1e-12;

    @Test
    void theModulesAreNamedAndNnApiExportsWhatItSays() {
        assertEquals("consumer.modular", ForwardPass.class.getModule().getName());
        Module api = Backend.class.getModule();
        assertEquals("org.nnjava.api", api.getName());
        assertEquals("org.nnjava.data", TensorDataSet.class.getModule().getName());

        ModuleDescriptor descriptor = api.getDescriptor();
        assertFalse(descriptor.isAutomatic(), "nn-api has a module-info.java");
        assertTrue(descriptor.uses().contains(BackendProvider.class.getName()), descriptor.uses().toString());
        for (String exported : List.of("org.nnjava.tensor", "org.nnjava.spi", "org.nnjava.layer", "org.nnjava.net",
                "org.nnjava.optim", "org.nnjava.train", "org.nnjava.batch", "org.nnjava.io")) {
            assertTrue(api.isExported(exported, ForwardPass.class.getModule()), exported);
        }
        assertFalse(api.isExported("org.nnjava.internal", ForwardPass.class.getModule()),
                "org.nnjava.internal is exported only to nnjava's applications");
        assertTrue(TensorDataSet.class.getModule().getDescriptor().requires().stream()
                .anyMatch(r -> r.name().equals("org.nnjava.api")
                        && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE)));
    }

    @Test
    void discoveryFindsTheBackendOnTheClassPathAndTheForwardPassMatchesPlainJava() throws IOException {
        // The descriptor requires nnjava's modules only, so the backend and EJML are on the class path:
        // the provider is found through its META-INF/services entry by nn-api's "uses".
        ForwardPass.Result result = ForwardPass.run();
        assertEquals("ejml", result.backend());
        assertEquals("null", result.providerModule(), "the backend is in the unnamed module here");
        assertArrayEquals(result.plainJava(), result.network(), TOLERANCE);
        assertTrue(Arrays.stream(result.network()).anyMatch(v -> v > 0), Arrays.toString(result.network()));
    }

    @Test
    void withTheBackendJarOnTheModulePathItIsAnAutomaticModuleThatProvidesTheBackend() throws Exception {
        // EJML's ejml-ddense and ejml-fdense split packages, so they cannot both be on the module path:
        // they stay on the class path, which the automatic module org.nnjava.backend.ejml reads.
        List<String> classPath = new ArrayList<>(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        String backendJar = classPath.stream().filter(p -> Path.of(p).getFileName().toString().startsWith("nn-backend-ejml-"))
                .findFirst().orElseThrow(() -> new AssertionError("no nn-backend-ejml jar in " + classPath));
        classPath.remove(backendJar);
        String modulePath = System.getProperty("jdk.module.path") + File.pathSeparator + backendJar;

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--module-path", modulePath,
                "--class-path", String.join(File.pathSeparator, classPath),
                "--module", "consumer.modular/consumer.modular.ForwardPass")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(0, process.exitValue(), output);

        Map<String, String> lines = new HashMap<>();
        for (String line : output.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                lines.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals("consumer.modular", lines.get("module"), output);
        assertEquals("org.nnjava.api", lines.get("api"), output);
        assertEquals("ejml", lines.get("backend"), output);
        assertEquals("org.nnjava.backend.ejml", lines.get("provider"), output);
        assertArrayEquals(parse(lines.get("plain")), parse(lines.get("network")), TOLERANCE, output);
        assertNull(lines.get("error"), output);
    }

    private static double[] parse(String array) {
        String inner = array.substring(1, array.length() - 1);
        return Arrays.stream(inner.split(", ")).mapToDouble(Double::parseDouble).toArray();
    }
}
